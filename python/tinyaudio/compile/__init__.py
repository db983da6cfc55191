"""Compile an int8 .tflite model into plain C99 (model.c/model.h) with a static memory plan.

Pipeline: `reader` parses and validates the flatbuffer -> `graph` builds an op/tensor graph and checks
every op against the registered emitters in `ops/` -> `planner` assigns arena offsets -> `codegen`
writes model.c, model.h and manifest.json. `quant_math` holds TFLM-exact multiplier arithmetic.
"""
