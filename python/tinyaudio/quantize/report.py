"""Facts about a converted int8 model for manifests: MACs, parameter count, op list."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from tinyaudio.quantize.export import io_details, tflite_ops


def tflite_macs_and_params(flatbuffer: bytes) -> tuple[int, int]:
    """Multiply-accumulates of one inference (conv, depthwise, dense, batch matmul) and weight elements."""
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=flatbuffer)
    tensors = {t["index"]: t for t in interp.get_tensor_details()}

    def shape(i: int) -> tuple[int, ...]:
        return tuple(int(s) for s in tensors[i]["shape"])

    macs, params = 0, 0
    for op in interp._get_ops_details():
        name, ins, outs = op["op_name"], list(op["inputs"]), list(op["outputs"])
        if not outs:
            continue
        out_elems = int(np.prod(shape(outs[0])))
        if name == "CONV_2D":
            w = shape(ins[1])  # (out_c, kh, kw, in_c)
            macs += out_elems * w[1] * w[2] * w[3]
        elif name == "DEPTHWISE_CONV_2D":
            w = shape(ins[1])  # (1, kh, kw, out_c)
            macs += out_elems * w[1] * w[2]
        elif name == "FULLY_CONNECTED":
            w = shape(ins[1])  # (units, in)
            macs += out_elems * w[1]
        elif name == "BATCH_MATMUL":
            a = shape(ins[0])
            macs += out_elems * a[-1]
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            for i in ins[1:]:
                if i >= 0:
                    params += int(np.prod(shape(i)))
    return macs, params


def model_facts(flatbuffer: bytes) -> dict[str, Any]:
    macs, params = tflite_macs_and_params(flatbuffer)
    io = io_details(flatbuffer)
    return {
        "model_sha256": hashlib.sha256(flatbuffer).hexdigest(),
        "tflite_bytes": len(flatbuffer),
        "macs": macs,
        "int8_params": params,
        "ops": tflite_ops(flatbuffer),
        "input": io["input"],
        "output": io["output"],
    }
