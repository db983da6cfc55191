"""Compile an int8 .tflite model into plain C99 (model.c/model.h) with a static memory plan.

Pipeline: `reader` parses and validates the flatbuffer (field numbers and codes from `schema`) -> `graph`
builds an op/tensor graph and checks every op against the registered emitters in `ops/` (one module per
kernel of firmware/runtime/kernels/, parameters from `kernel_params`, TFLM-exact arithmetic in
`quant_math`) -> `planner` assigns arena offsets -> `codegen` writes model.c and model.h through
tinyaudio.cgen -> `compiler` adds manifest.json and knows which runtime sources a build needs.
"""
