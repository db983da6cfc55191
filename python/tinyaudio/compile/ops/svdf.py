"""SVDF: int8 input/output, int8 feature weights, int16 or int8 time weights and state (variable)."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.quant_math import quantize_multiplier
from tinyaudio.compile.schema import BuiltinOptionsType

_RANK = 0


@register("SVDF")
def emit_svdf(ctx: OpContext) -> None:
    inp, wf, wt, out = ctx.input(0), ctx.input(1), ctx.input(2), ctx.output(0)
    bias = ctx.optional_input(3)
    state = ctx.input(4)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8")
    ctx.require_type(wf, "INT8")
    ctx.require_type(state, "INT16", "INT8")
    ctx.require(wt.type_name == state.type_name,
                f"time weights are {wt.type_name} but the state is {state.type_name}", wt)
    ctx.require(wf.is_constant and wt.is_constant, "SVDF weights must be constant", wf)
    ctx.require(state.is_variable, "the activation state must be a variable tensor", state)
    ctx.require(bias is not None, "SVDF without bias is not supported (TFLM requires it)", out)
    assert bias is not None
    ctx.require_type(bias, "INT32")
    qin, qwf, qwt = ctx.require_quant(inp), ctx.require_quant(wf), ctx.require_quant(wt)
    qstate, qout = ctx.require_quant(state), ctx.require_quant(out)

    opts = ctx.options(BuiltinOptionsType.SVDFOptions)
    rank = opts.get_int(_RANK, 0) if opts else 0
    ctx.require(len(inp.shape) == 2 and len(out.shape) == 2, "input and output must be 2-D", inp)
    ctx.require(len(wf.shape) == 2 and len(wt.shape) == 2, "weights must be 2-D", wf)
    batches, input_size = inp.shape
    num_filters = wf.shape[0]
    ctx.require(rank > 0 and num_filters % rank == 0,
                f"rank {rank} does not divide {num_filters} filters", wf)
    num_units = num_filters // rank
    memory_size = wt.shape[1]
    ctx.require(wf.shape[1] == input_size, "feature weights do not match the input size", wf)
    ctx.require(wt.shape[0] == num_filters, "time weights do not match the filter count", wt)
    ctx.require(out.shape == (batches, num_units), f"output must be [{batches}, {num_units}]", out)
    ctx.require(bias.num_elements == num_units, "bias does not match the unit count", bias)
    ctx.require(state.shape == (batches, memory_size * num_filters),
                f"state must be [{batches}, {memory_size * num_filters}]", state)

    # TFLM forms both scales in float32 before widening to double.
    scale_1 = float(np.float32(qin.scale) * np.float32(qwf.scale) / np.float32(qstate.scale))
    scale_2 = float(np.float32(qstate.scale) * np.float32(qwt.scale) / np.float32(qout.scale))
    m1, s1 = quantize_multiplier(scale_1)
    m2, s2 = quantize_multiplier(scale_2)
    params = ctx.const_struct("ta_svdf_s8_params_t", {
        "batches": batches, "input_size": input_size, "num_filters": num_filters, "num_units": num_units,
        "rank": rank, "memory_size": memory_size, "input_zero_point": qin.zero_point,
        "state_zero_point": qstate.zero_point, "output_zero_point": qout.zero_point,
        "scale_1_multiplier": m1, "scale_1_shift": s1, "scale_2_multiplier": m2, "scale_2_shift": s2,
    })
    scratch = ctx.scratch(4 * batches * (num_filters + num_units))
    func = "ta_svdf_s8_s16state" if state.type_name == "INT16" else "ta_svdf_s8_s8state"
    ctx.use_kernel("ta_svdf_s8")
    ctx.call(func, f"&{params}", ctx.ptr(inp), ctx.ptr(wf), ctx.ptr(wt), ctx.ptr(bias), ctx.ptr(state),
             f"(int32_t *){scratch}", ctx.ptr(out))
    ctx.add_macs(batches * num_filters * (input_size + memory_size))
