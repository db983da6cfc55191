"""SVDF -> ta_svdf_s8_s16state / ta_svdf_s8_s8state: int8 input/output, int8 feature weights, int16 or int8
time weights and state (a variable tensor)."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import option_int, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, SVDFOptionsField


@register("SVDF")
def emit_svdf(ctx: OpContext) -> None:
    inp, wf, wt, out = ctx.input(0), ctx.input(1), ctx.input(2), ctx.output(0)
    bias = ctx.optional_input(3)
    state = ctx.input(4)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8")
    ctx.require_type(wf, "INT8")
    ctx.require_type(state, "INT16", "INT8")
    ctx.require(
        wt.type_name == state.type_name,
        f"time weights are {wt.type_name} but the state is {state.type_name}",
        wt,
    )
    ctx.require(wf.is_constant and wt.is_constant, "SVDF weights must be constant", wf)
    ctx.require(state.is_variable, "the activation state must be a variable tensor", state)
    if bias is None:
        ctx.fail("SVDF without bias is not supported (TFLM requires it)", out)
    ctx.require_type(bias, "INT32")
    qin, qwf, qwt = ctx.require_quant(inp), ctx.require_quant(wf), ctx.require_quant(wt)
    qstate, qout = ctx.require_quant(state), ctx.require_quant(out)

    rank = option_int(ctx.options(BuiltinOptionsType.SVDFOptions), SVDFOptionsField.RANK)
    ctx.require(len(inp.shape) == 2 and len(out.shape) == 2, "input and output must be 2-D", inp)
    ctx.require(len(wf.shape) == 2 and len(wt.shape) == 2, "weights must be 2-D", wf)
    batches, input_size = inp.shape
    num_filters, memory_size = wf.shape[0], wt.shape[1]
    params = params_or_fail(
        ctx, kernel_params.svdf_params, batches, input_size, num_filters, rank, memory_size,
        qin.scale, qin.zero_point, qwf.scale, qstate.scale, qstate.zero_point, qwt.scale,
        qout.scale, qout.zero_point, tensor=wf,
    )  # fmt: skip
    num_units = kernel_params.int_fields(params)["num_units"]
    ctx.require(wf.shape[1] == input_size, "feature weights do not match the input size", wf)
    ctx.require(wt.shape[0] == num_filters, "time weights do not match the filter count", wt)
    ctx.require(out.shape == (batches, num_units), f"output must be [{batches}, {num_units}]", out)
    ctx.require(bias.num_elements == num_units, "bias does not match the unit count", bias)
    ctx.require(
        state.shape == (batches, memory_size * num_filters),
        f"state must be [{batches}, {memory_size * num_filters}]",
        state,
    )

    struct = ctx.const_struct("ta_svdf_s8_params_t", params)
    scratch = ctx.scratch(kernel_params.svdf_scratch_bytes(params))
    func = "ta_svdf_s8_s16state" if state.type_name == "INT16" else "ta_svdf_s8_s8state"
    ctx.use_kernel("ta_svdf_s8")
    ctx.call(
        func,
        f"&{struct}",
        ctx.ptr(inp),
        ctx.ptr(wf),
        ctx.ptr(wt),
        ctx.ptr(bias),
        ctx.ptr(state),
        f"(int32_t *){scratch}",
        ctx.ptr(out),
    )
    ctx.add_macs(batches * num_filters * (input_size + memory_size))
