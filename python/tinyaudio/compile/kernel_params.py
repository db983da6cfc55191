"""Compile-time parameters of every kernel in firmware/runtime/kernels/, all computed here.

Each function reproduces what TensorFlow Lite Micro computes in the op's Prepare (and, for MEAN, the
constant part of its Eval) and returns the C parameter struct of the matching kernel as an ordered
``dict`` (field name -> int or float, lists for array fields), in the struct's field order. A list stands
either for an array inside the struct (``dims[TA_MAX_DIMS]``) or, for the per-channel multipliers of the
convolutions, for a pointer field the emitter points at a const array of its own. Emitters check the
tensors, call one of these and write the result with ``ctx.const_struct``; the kernel tests flatten the
int-only structs for the C harness. Refusals are KernelParamError with a message naming the limit.

Scales arrive as the float32 values stored in the .tflite file; TFLM widens them to double where it
does, and keeps float32 arithmetic where it does (RSQRT, the fully-connected product), and so do we.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tinyaudio.compile.quant_math import (
    activation_range_int8,
    calculate_input_radius,
    per_channel_multipliers,
    preprocess_softmax_scaling,
    quantize_multiplier,
    quantize_multiplier_smaller_than_one_exp,
    round_half_away,
)
from tinyaudio.compile.schema import ACTIVATION_NAMES, ActivationFunctionType, Padding
from tinyaudio.errors import CompileError

MAX_DIMS = 6  # TA_MAX_DIMS in firmware/runtime/support/ta_broadcast.h
MAX_BATCH_DIMS = 4  # TA_BATCH_MATMUL_MAX_BATCH_DIMS
MEAN_MAX_REDUCED_AXES = 2  # TFLM's kMaxNumberOfReducedAxis
MEAN_MAX_INPUT_DIMS = 5  # TFLM's kMaxNumberOfAxis
SOFTMAX_MAX_DEPTH = 255  # beyond this the sum of exps can push TFLM's final shift past 31 bits
SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5  # TFLM's kScaledDiffIntegerBits

Params = dict[str, "int | float | list[int]"]


class KernelParamError(CompileError):
    """An op's shapes or options fall outside what the int8 kernels (and TFLM) support."""


def _f32(x: float) -> float:
    return float(np.float32(x))


def _pad(values: Sequence[int], n: int, fill: int = 0) -> list[int]:
    return [int(v) for v in values] + [fill] * (n - len(values))


def int_fields(params: Params) -> dict[str, int]:
    """The struct's integer fields (array fields left out)."""
    return {k: int(v) for k, v in params.items() if not isinstance(v, list)}


# ---- convolutions, fully connected, pooling (TFLM conv, depthwise_conv, fully_connected, pooling) -----


@dataclass(frozen=True)
class Window:
    """Output size and top/left padding of one spatial dimension (TFLite ComputePaddingHeightWidth)."""

    out_size: int
    pad: int


def window(padding: int, in_size: int, filter_size: int, stride: int, dilation: int = 1) -> Window:
    if padding not in (Padding.SAME, Padding.VALID):
        raise KernelParamError(f"unknown padding type {padding}")
    effective = (filter_size - 1) * dilation + 1
    if padding == Padding.SAME:
        out = (in_size + stride - 1) // stride
    else:
        out = (in_size + stride - effective) // stride
    total = max((out - 1) * stride + effective - in_size, 0)
    return Window(out_size=out, pad=total // 2)


def _require_positive(**values: int) -> None:
    for name, value in values.items():
        if value <= 0:
            raise KernelParamError(f"{name} must be positive, got {value}")


def fused_activation_range(activation: int, s_out: float, zp_out: int) -> tuple[int, int]:
    """int8 clamp range of a fused activation; TANH/SIGN_BIT fused activations are refused."""
    supported = (
        ActivationFunctionType.NONE,
        ActivationFunctionType.RELU,
        ActivationFunctionType.RELU_N1_TO_1,
        ActivationFunctionType.RELU6,
    )
    if activation not in supported:
        name = ACTIVATION_NAMES[activation] if 0 <= activation < len(ACTIVATION_NAMES) else str(activation)
        raise KernelParamError(f"fused activation {name} is not supported")
    return activation_range_int8(activation, s_out, zp_out)


def _windows(
    padding: int,
    in_hw: Sequence[int],
    filter_hw: Sequence[int],
    stride_hw: Sequence[int],
    dilation_hw: Sequence[int] = (1, 1),
) -> tuple[Window, Window]:
    return (
        window(padding, int(in_hw[0]), int(filter_hw[0]), int(stride_hw[0]), int(dilation_hw[0])),
        window(padding, int(in_hw[1]), int(filter_hw[1]), int(stride_hw[1]), int(dilation_hw[1])),
    )


def conv2d_params(
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    stride_hw: Sequence[int],
    dilation_hw: Sequence[int],
    padding: int,
    activation: int,
    s_in: float,
    zp_in: int,
    filter_scales: Sequence[float],
    s_out: float,
    zp_out: int,
) -> Params:
    """ta_conv2d_s8_params_t (NHWC input, OHWI filter): TFLM ConvPrepare / CalculateOpDataConv for int8.
    output_multiplier and output_shift are per output channel (a per-tensor filter scale is repeated)."""
    n, ih, iw, ic = (int(d) for d in input_shape)
    oc, fh, fw, fc = (int(d) for d in filter_shape)
    stride_h, stride_w = (int(v) for v in stride_hw)
    dil_h, dil_w = (int(v) for v in dilation_hw)
    _require_positive(stride_h=stride_h, stride_w=stride_w, dilation_h=dil_h, dilation_w=dil_w)
    win_h, win_w = _windows(padding, (ih, iw), (fh, fw), (stride_h, stride_w), (dil_h, dil_w))
    act_min, act_max = fused_activation_range(activation, s_out, zp_out)
    mult, shift = per_channel_multipliers(s_in, filter_scales, s_out, oc)
    return {
        "batches": n, "input_h": ih, "input_w": iw, "input_c": ic,
        "filter_h": fh, "filter_w": fw, "filter_c": fc,
        "output_h": win_h.out_size, "output_w": win_w.out_size, "output_c": oc,
        "stride_h": stride_h, "stride_w": stride_w, "dilation_h": dil_h, "dilation_w": dil_w,
        "pad_h": win_h.pad, "pad_w": win_w.pad,
        "input_offset": -int(zp_in), "output_offset": int(zp_out),
        "activation_min": act_min, "activation_max": act_max,
        "output_multiplier": mult, "output_shift": shift,
    }  # fmt: skip


def conv2d_pointwise_inplace_bias(
    params: Params, weights: np.ndarray, bias: np.ndarray | None
) -> np.ndarray | None:
    """The int32 bias of ta_conv2d_s8_pointwise_inplace: bias + input_offset * sum(filter row), folded at
    compile time so the kernel can write each output pixel over its input pixel. None when the layer is
    not a same-size 1x1 convolution without groups that shrinks or keeps the depth, or a folded value
    leaves int32."""
    p = int_fields(params)
    pointwise = (p["filter_h"], p["filter_w"], p["stride_h"], p["stride_w"], p["pad_h"], p["pad_w"]) == (
        1, 1, 1, 1, 0, 0,
    )  # fmt: skip
    same_size = (p["output_h"], p["output_w"]) == (p["input_h"], p["input_w"])
    if not (pointwise and same_size and p["filter_c"] == p["input_c"] and p["output_c"] <= p["input_c"]):
        return None
    oc, ic = p["output_c"], p["input_c"]
    folded = weights.reshape(oc, ic).astype(np.int64).sum(axis=1) * p["input_offset"]
    if bias is not None:
        folded = folded + bias.astype(np.int64)
    if not np.all(np.abs(folded) < 2**31):
        return None
    return folded.astype(np.int32)


def depthwise_conv2d_params(
    input_shape: Sequence[int],
    filter_shape: Sequence[int],
    stride_hw: Sequence[int],
    dilation_hw: Sequence[int],
    padding: int,
    activation: int,
    s_in: float,
    zp_in: int,
    filter_scales: Sequence[float],
    s_out: float,
    zp_out: int,
) -> Params:
    """ta_depthwise_conv2d_s8_params_t (NHWC input, 1HWO filter): TFLM DepthwiseConvPrepare for int8. The
    depth multiplier is output depth / input depth (the option must agree; the emitter checks it)."""
    n, ih, iw, ic = (int(d) for d in input_shape)
    _, fh, fw, oc = (int(d) for d in filter_shape)
    stride_h, stride_w = (int(v) for v in stride_hw)
    dil_h, dil_w = (int(v) for v in dilation_hw)
    _require_positive(stride_h=stride_h, stride_w=stride_w, dilation_h=dil_h, dilation_w=dil_w)
    win_h, win_w = _windows(padding, (ih, iw), (fh, fw), (stride_h, stride_w), (dil_h, dil_w))
    act_min, act_max = fused_activation_range(activation, s_out, zp_out)
    mult, shift = per_channel_multipliers(s_in, filter_scales, s_out, oc)
    return {
        "batches": n, "input_h": ih, "input_w": iw, "input_c": ic,
        "filter_h": fh, "filter_w": fw,
        "output_h": win_h.out_size, "output_w": win_w.out_size, "output_c": oc,
        "depth_multiplier": oc // ic if ic else 0,
        "stride_h": stride_h, "stride_w": stride_w, "dilation_h": dil_h, "dilation_w": dil_w,
        "pad_h": win_h.pad, "pad_w": win_w.pad,
        "input_offset": -int(zp_in), "output_offset": int(zp_out),
        "activation_min": act_min, "activation_max": act_max,
        "output_multiplier": mult, "output_shift": shift,
    }  # fmt: skip


def depthwise_conv2d_inplace_scratch(params: Params) -> int | None:
    """Scratch bytes of ta_depthwise_conv2d_s8_inplace (a ring of pad_h + 1 saved input rows), or None when
    the output cannot overwrite the input (not same-size with unit steps and multiplier 1)."""
    p = int_fields(params)
    unit_steps = (p["stride_h"], p["stride_w"], p["dilation_h"], p["dilation_w"], p["depth_multiplier"]) == (
        1, 1, 1, 1, 1,
    )  # fmt: skip
    same_size = (p["output_h"], p["output_w"]) == (p["input_h"], p["input_w"])
    if not (unit_steps and same_size and p["pad_h"] < p["filter_h"]):
        return None
    return (p["pad_h"] + 1) * p["input_w"] * p["input_c"]


def fully_connected_params(
    batches: int,
    accum_depth: int,
    output_depth: int,
    activation: int,
    s_in: float,
    zp_in: int,
    filter_scales: Sequence[float],
    zp_filter: int,
    per_channel: bool,
    s_out: float,
    zp_out: int,
) -> Params:
    """ta_fully_connected_s8_params_t: TFLM FullyConnectedPrepare for int8. Per channel: one multiplier per
    output row as for the convolutions; per tensor: one, from the input x filter product in float32
    (TFLM GetQuantizedConvolutionMultipler)."""
    act_min, act_max = fused_activation_range(activation, s_out, zp_out)
    if per_channel:
        mult, shift = per_channel_multipliers(s_in, filter_scales, s_out, len(filter_scales))
    else:
        product = float(np.float32(s_in) * np.float32(filter_scales[0]))
        m, sh = quantize_multiplier(product / float(s_out))
        mult, shift = [m], [sh]
    return {
        "batches": int(batches), "accum_depth": int(accum_depth), "output_depth": int(output_depth),
        "input_offset": -int(zp_in), "filter_offset": -int(zp_filter), "output_offset": int(zp_out),
        "activation_min": act_min, "activation_max": act_max,
        "per_channel": 1 if per_channel else 0,
        "output_multiplier": mult, "output_shift": shift,
    }  # fmt: skip


def pool2d_params(
    input_shape: Sequence[int],
    filter_hw: Sequence[int],
    stride_hw: Sequence[int],
    padding: int,
    activation: int,
    s_out: float,
    zp_out: int,
) -> Params:
    """ta_pool2d_s8_params_t (AVERAGE_POOL_2D and MAX_POOL_2D): TFLM PoolingPrepare for int8."""
    n, ih, iw, c = (int(d) for d in input_shape)
    filter_h, filter_w = (int(v) for v in filter_hw)
    stride_h, stride_w = (int(v) for v in stride_hw)
    _require_positive(stride_h=stride_h, stride_w=stride_w, filter_h=filter_h, filter_w=filter_w)
    win_h, win_w = _windows(padding, (ih, iw), (filter_h, filter_w), (stride_h, stride_w))
    act_min, act_max = fused_activation_range(activation, s_out, zp_out)
    return {
        "batches": n, "input_h": ih, "input_w": iw, "channels": c,
        "output_h": win_h.out_size, "output_w": win_w.out_size,
        "filter_h": filter_h, "filter_w": filter_w, "stride_h": stride_h, "stride_w": stride_w,
        "pad_h": win_h.pad, "pad_w": win_w.pad, "activation_min": act_min, "activation_max": act_max,
    }  # fmt: skip


# ---- softmax, SVDF, (de)quantization (TFLM softmax_common.cc, svdf_common.cc, quantize_common.cc) --------


def softmax_params(input_shape: Sequence[int], beta: float, s_in: float) -> Params:
    """ta_softmax_s8_params_t: TFLM CalculateSoftmaxParams for int8 input (int8 or int16 output)."""
    if not beta > 0.0:
        raise KernelParamError(f"beta {beta} must be positive")
    depth = int(input_shape[-1])
    if not 0 < depth <= SOFTMAX_MAX_DEPTH:
        raise KernelParamError(f"softmax over {depth} values is not supported (max {SOFTMAX_MAX_DEPTH})")
    multiplier, left_shift = preprocess_softmax_scaling(beta, s_in, SOFTMAX_SCALED_DIFF_INTEGER_BITS)
    count = int(np.prod([int(d) for d in input_shape]))
    return {
        "outer_size": count // depth,
        "depth": depth,
        "input_multiplier": multiplier,
        "input_left_shift": left_shift,
        "diff_min": -calculate_input_radius(SOFTMAX_SCALED_DIFF_INTEGER_BITS, left_shift),
    }


def svdf_params(
    batches: int,
    input_size: int,
    num_filters: int,
    rank: int,
    memory_size: int,
    s_in: float,
    zp_in: int,
    s_feature: float,
    s_state: float,
    zp_state: int,
    s_time: float,
    s_out: float,
    zp_out: int,
) -> Params:
    """ta_svdf_s8_params_t: TFLM PrepareSvdf for int8 (both scales formed in float32 before widening)."""
    if rank <= 0 or num_filters % rank:
        raise KernelParamError(f"rank {rank} does not divide {num_filters} filters")
    scale_1 = float(np.float32(s_in) * np.float32(s_feature) / np.float32(s_state))
    scale_2 = float(np.float32(s_state) * np.float32(s_time) / np.float32(s_out))
    m1, sh1 = quantize_multiplier(scale_1)
    m2, sh2 = quantize_multiplier(scale_2)
    return {
        "batches": int(batches), "input_size": int(input_size), "num_filters": int(num_filters),
        "num_units": int(num_filters) // int(rank), "rank": int(rank), "memory_size": int(memory_size),
        "input_zero_point": int(zp_in), "state_zero_point": int(zp_state), "output_zero_point": int(zp_out),
        "scale_1_multiplier": m1, "scale_1_shift": sh1, "scale_2_multiplier": m2, "scale_2_shift": sh2,
    }  # fmt: skip


def svdf_scratch_bytes(params: Params) -> int:
    """int32 scratch of the SVDF kernels: one value per filter and per unit, per batch."""
    p = int_fields(params)
    return 4 * p["batches"] * (p["num_filters"] + p["num_units"])


def requantize_params(size: int, s_in: float, zp_in: int, s_out: float, zp_out: int) -> Params:
    """ta_requantize_params_t: TFLM quantize.cc PrepareQuantizeReference for integer input."""
    multiplier, shift = quantize_multiplier(float(s_in) / float(s_out))
    return {
        "size": int(size),
        "input_zero_point": int(zp_in),
        "output_zero_point": int(zp_out),
        "multiplier": multiplier,
        "shift": shift,
    }


def affine_quantize_params(size: int, scale: float, zero_point: int) -> Params:
    """ta_affine_quantize_params_t (QUANTIZE from float32, DEQUANTIZE to float32): the tensor's own
    float32 scale and zero point; the kernel does the arithmetic as TFLM does."""
    return {"size": int(size), "zero_point": int(zero_point), "scale": float(np.float32(scale))}


# ---- shapes of element-wise and data-movement kernels ------------------------------------------------


def row_major_strides(shape: Sequence[int]) -> list[int]:
    strides = [1] * len(shape)
    for d in range(len(shape) - 2, -1, -1):
        strides[d] = strides[d + 1] * int(shape[d + 1])
    return strides


def broadcast_shape(shape1: Sequence[int], shape2: Sequence[int]) -> list[int]:
    """NumPy/TFLite broadcasting of two shapes; raises KernelParamError when incompatible."""
    n = max(len(shape1), len(shape2))
    a = [1] * (n - len(shape1)) + list(shape1)
    b = [1] * (n - len(shape2)) + list(shape2)
    out = []
    for x, y in zip(a, b, strict=True):
        if x != y and x != 1 and y != 1:
            raise KernelParamError(f"shapes {list(shape1)} and {list(shape2)} do not broadcast")
        out.append(max(x, y))
    return out


def broadcast_params(shape1: Sequence[int], shape2: Sequence[int]) -> Params:
    """ta_broadcast_t: output dims and per-input element strides (0 where an input is broadcast).

    Adjacent dimensions that broadcast the same way are merged so that up to MAX_DIMS output
    dimensions suffice for any rank TFLM accepts (and inner loops run longer)."""
    out = broadcast_shape(shape1, shape2)
    n = len(out)
    a = [1] * (n - len(shape1)) + [int(d) for d in shape1]
    b = [1] * (n - len(shape2)) + [int(d) for d in shape2]
    sa, sb = row_major_strides(a), row_major_strides(b)
    dims: list[int] = []
    st1: list[int] = []
    st2: list[int] = []
    for d in range(n):
        if out[d] == 1:
            continue  # a size-1 output dim moves nothing
        s1 = sa[d] if a[d] != 1 else 0
        s2 = sb[d] if b[d] != 1 else 0
        if dims and st1[-1] == s1 * out[d] and st2[-1] == s2 * out[d]:
            dims[-1] *= out[d]  # contiguous with the previous dim for both inputs: merge
            st1[-1], st2[-1] = s1, s2
            continue
        dims.append(out[d])
        st1.append(s1)
        st2.append(s2)
    if not dims:
        dims, st1, st2 = [1], [0], [0]
    if len(dims) > MAX_DIMS:
        raise KernelParamError(
            f"broadcast of {list(shape1)} and {list(shape2)} needs {len(dims)} dims (max {MAX_DIMS})"
        )
    return {
        "ndim": len(dims),
        "dims": _pad(dims, MAX_DIMS, 1),
        "strides1": _pad(st1, MAX_DIMS),
        "strides2": _pad(st2, MAX_DIMS),
    }


def _offsets(zp1: int, zp2: int, zp_out: int) -> Params:
    """The leading offset fields of the two-input requantizing kernels' parameter structs."""
    return {"input1_offset": -int(zp1), "input2_offset": -int(zp2), "output_offset": int(zp_out)}


def _rescaled_inputs(
    s1: float, zp1: int, s2: float, zp2: int, zp_out: int, left_shift: int
) -> tuple[float, Params]:
    """ADD/SUB/SQUARED_DIFFERENCE Prepare up to the output multiplier: both inputs rescaled to twice the
    larger input scale. Returns that scale and the struct's fields up to input2_shift."""
    twice_max = 2.0 * max(_f32(s1), _f32(s2))
    m1, sh1 = quantize_multiplier_smaller_than_one_exp(_f32(s1) / twice_max)
    m2, sh2 = quantize_multiplier_smaller_than_one_exp(_f32(s2) / twice_max)
    fields = _offsets(zp1, zp2, zp_out)
    fields.update(
        {
            "left_shift": left_shift,
            "input1_multiplier": m1,
            "input1_shift": sh1,
            "input2_multiplier": m2,
            "input2_shift": sh2,
        }
    )
    return twice_max, fields


def add_params(
    s1: float, zp1: int, s2: float, zp2: int, s_out: float, zp_out: int, activation: int = 0
) -> Params:
    """ta_add_s8_params_t (also SUB): TFLM CalculateOpDataAdd / sub's Prepare for int8."""
    left_shift = 20
    twice_max, params = _rescaled_inputs(s1, zp1, s2, zp2, zp_out, left_shift)
    mo, sho = quantize_multiplier_smaller_than_one_exp(twice_max / ((1 << left_shift) * _f32(s_out)))
    lo, hi = activation_range_int8(activation, _f32(s_out), zp_out)
    params.update({"output_multiplier": mo, "output_shift": sho, "activation_min": lo, "activation_max": hi})
    return params


def mul_params(
    s1: float, zp1: int, s2: float, zp2: int, s_out: float, zp_out: int, activation: int = 0
) -> Params:
    """ta_mul_s8_params_t: TFLM CalculateOpDataMul for int8."""
    m, sh = quantize_multiplier(_f32(s1) * _f32(s2) / _f32(s_out))
    lo, hi = activation_range_int8(activation, _f32(s_out), zp_out)
    params = _offsets(zp1, zp2, zp_out)
    params.update({"output_multiplier": m, "output_shift": sh, "activation_min": lo, "activation_max": hi})
    return params


def squared_difference_params(s1: float, zp1: int, s2: float, zp2: int, s_out: float, zp_out: int) -> Params:
    """ta_squared_difference_s8_params_t: TFLM squared_difference.cc PrepareQuantized, left_shift 7."""
    left_shift = 7
    twice_max, params = _rescaled_inputs(s1, zp1, s2, zp2, zp_out, left_shift)
    # TFLM: (1 << left_shift * 2) * output_scale is an int times a float: float32 arithmetic.
    denominator = float(np.float32(1 << (2 * left_shift)) * np.float32(s_out))
    mo, sho = quantize_multiplier((twice_max * twice_max) / denominator)
    params.update({"output_multiplier": mo, "output_shift": sho})
    return params


def resolve_axes(axes: Sequence[int], ndim: int) -> list[int]:
    """TFLite ResolveAxis: negative axes wrap, duplicates drop, order kept."""
    out: list[int] = []
    for a in axes:
        a = int(a)
        cur = a + ndim if a < 0 else a
        if not 0 <= cur < ndim:
            raise KernelParamError(f"axis {a} out of range for a {ndim}-D input")
        if cur not in out:
            out.append(cur)
    return out


def mean_params(
    input_shape: Sequence[int], axes: Sequence[int], s_in: float, zp_in: int, s_out: float, zp_out: int
) -> Params:
    """ta_mean_s8_params_t: TFLM reduce.cc (PrepareMeanOrSumHelper + the constant part of
    QuantizedMeanOrSum, which folds 1/count into the multiplier)."""
    shape = [int(d) for d in input_shape]
    if len(shape) > MEAN_MAX_INPUT_DIMS:
        raise KernelParamError(
            f"MEAN input has {len(shape)} dims; TFLM supports at most {MEAN_MAX_INPUT_DIMS}"
        )
    resolved = resolve_axes(axes, len(shape))
    if len(resolved) > MEAN_MAX_REDUCED_AXES:
        raise KernelParamError(
            f"MEAN over {len(resolved)} axes; TFLM supports at most {MEAN_MAX_REDUCED_AXES} (reshape first)"
        )
    if not resolved:
        raise KernelParamError("MEAN with an empty axis list is not supported")
    strides = row_major_strides(shape)
    kept = [d for d in range(len(shape)) if d not in resolved]
    reduced = sorted(resolved)
    count = int(np.prod([shape[d] for d in reduced]))
    if count <= 0:
        raise KernelParamError("MEAN over an empty axis is not supported")
    m, sh = quantize_multiplier(_f32(s_in) / _f32(s_out))
    # QuantizedMeanOrSum: fold 1/count into (m, sh) with TFLM's clamps.
    shift = count.bit_length() - 1
    shift = min(shift, 32)
    shift = min(shift, 31 + sh)
    m_folded = (m << shift) // count if shift >= 0 else m
    sh_folded = sh - shift
    return {
        "kept_ndim": len(kept),
        "kept_dims": _pad([shape[d] for d in kept], MAX_DIMS, 1),
        "kept_strides": _pad([strides[d] for d in kept], MAX_DIMS),
        "reduced_ndim": len(reduced),
        "reduced_dims": _pad([shape[d] for d in reduced], MAX_DIMS, 1),
        "reduced_strides": _pad([strides[d] for d in reduced], MAX_DIMS),
        "input_zero_point": int(zp_in),
        "output_zero_point": int(zp_out),
        "multiplier": int(m_folded),
        "shift": int(sh_folded),
    }


def mean_output_shape(input_shape: Sequence[int], axes: Sequence[int], keep_dims: bool) -> list[int]:
    resolved = resolve_axes(axes, len(input_shape))
    if keep_dims:
        return [1 if d in resolved else int(n) for d, n in enumerate(input_shape)]
    return [int(n) for d, n in enumerate(input_shape) if d not in resolved]


def rsqrt_params(s_in: float, zp_in: int, s_out: float, zp_out: int) -> Params:
    """ta_rsqrt_s8_params_t: TFLM SetRsqrtOutputMultiplier (sqrt and product in float32)."""
    prod = np.float32(np.sqrt(np.float32(s_in))) * np.float32(s_out)
    m, sh = quantize_multiplier(1.0 / float(prod))
    return {"input_zero_point": int(zp_in), "output_zero_point": int(zp_out), "multiplier": m, "shift": sh}


def _q4_input_params(s_in: float, zp_in: int) -> Params:
    """LOGISTIC/TANH int8 Prepare: the input rescaled to Q4.27 (frexp, no normalization fix-up)."""
    real = _f32(s_in) * float(1 << 27)
    q, left_shift = math.frexp(real)
    multiplier = int(round_half_away(q * float(1 << 31)))
    if multiplier >= 1 << 31:
        raise KernelParamError(f"input scale {s_in!r} gives an int32-overflowing multiplier")
    return {
        "input_zero_point": int(zp_in),
        "input_range_radius": calculate_input_radius(4, left_shift, 31),
        "input_multiplier": multiplier,
        "input_left_shift": left_shift,
    }


def logistic_params(s_in: float, zp_in: int) -> Params:
    """ta_logistic_s8_params_t (output fixed at scale 1/256, zero point -128 by TFLM)."""
    return _q4_input_params(s_in, zp_in)


def tanh_params(s_in: float, zp_in: int) -> Params:
    """ta_tanh_s8_params_t (output fixed at scale 1/128, zero point 0 by TFLM)."""
    return _q4_input_params(s_in, zp_in)


def _quantize_to_int8(value: float, scale: float, zero_point: int) -> int:
    """zero_point + roundf(value / scale) in float32, clamped to int8 (TFLM's FloatToQuantizedType)."""
    ratio = np.float32(value) / np.float32(scale)
    return max(-128, min(127, int(round_half_away(float(ratio))) + int(zero_point)))


def relu_params(s_in: float, zp_in: int, s_out: float, zp_out: int) -> Params:
    """ta_relu_s8_params_t: TFLM CalculateReluOpData for int8."""
    m, sh = quantize_multiplier(_f32(s_in) / _f32(s_out))
    return {
        "input_zero_point": int(zp_in),
        "output_zero_point": int(zp_out),
        "multiplier": m,
        "shift": sh,
        "activation_min": max(-128, int(zp_out)),  # zp_out + roundf(0 / s_out)
        "activation_max": 127,
    }


def relu6_params(s_in: float, zp_in: int) -> Params:
    """ta_relu6_s8_params_t: TFLM Relu6Prepare (clamp bounds on the input's scale)."""
    return {"lower": int(zp_in), "upper": _quantize_to_int8(6.0, s_in, zp_in)}


def leaky_relu_params(s_in: float, zp_in: int, s_out: float, zp_out: int, alpha: float) -> Params:
    """ta_leaky_relu_s8_params_t: TFLM LeakyReluPrepare (ratios formed in float32)."""
    alpha_ratio = float(np.float32(np.float32(s_in) * np.float32(alpha)) / np.float32(s_out))
    identity_ratio = float(np.float32(s_in) / np.float32(s_out))
    ma, sa = quantize_multiplier(alpha_ratio)
    mi, si = quantize_multiplier(identity_ratio)
    return {
        "input_zero_point": int(zp_in),
        "output_zero_point": int(zp_out),
        "identity_multiplier": mi,
        "identity_shift": si,
        "alpha_multiplier": ma,
        "alpha_shift": sa,
    }


def abs_params(s_in: float, zp_in: int, s_out: float, zp_out: int) -> Params:
    """ta_abs_s8_params_t: TFLM PrepareAbsRsqrt for ABS (ratio formed in float32)."""
    needs = _f32(s_in) != _f32(s_out)
    m, sh = quantize_multiplier(float(np.float32(s_in) / np.float32(s_out))) if needs else (0, 0)
    return {
        "input_zero_point": int(zp_in),
        "output_zero_point": int(zp_out),
        "needs_rescale": int(needs),
        "multiplier": m,
        "shift": sh,
    }


def _downscale_multiplier_to_int16(m: int) -> int:
    """TFLite DownScaleInt32ToInt16Multiplier."""
    if m >= 2**31 - 1 - (1 << 15):
        return 2**15 - 1
    return (m + (1 << 15)) >> 16


def hard_swish_params(s_in: float, zp_in: int, s_out: float, zp_out: int) -> Params:
    """ta_hard_swish_s8_params_t: TFLite HardSwishPrepare (scales combined in float32)."""
    hires_input_scale = np.float32(1.0 / 128.0) * np.float32(s_in)
    reluish_scale = np.float32(3.0) / np.float32(32768.0)
    m_out, e_out = quantize_multiplier(float(np.float32(hires_input_scale / np.float32(s_out))))
    if e_out > 0:
        raise KernelParamError(f"HARD_SWISH output scale {s_out!r} is too small for input scale {s_in!r}")
    m_rel, e_rel = quantize_multiplier(float(np.float32(hires_input_scale / reluish_scale)))
    return {
        "input_zero_point": int(zp_in),
        "output_zero_point": int(zp_out),
        "reluish_multiplier_fixedpoint_int16": _downscale_multiplier_to_int16(m_rel),
        "reluish_multiplier_exponent": e_rel,
        "output_multiplier_fixedpoint_int16": _downscale_multiplier_to_int16(m_out),
        "output_multiplier_exponent": e_out,
    }


def transpose_params(input_shape: Sequence[int], perm: Sequence[int]) -> Params:
    """ta_transpose_s8_params_t (a ta_strided_view_t)."""
    shape = [int(d) for d in input_shape]
    perm = [int(p) + (len(shape) if int(p) < 0 else 0) for p in perm]
    if sorted(perm) != list(range(len(shape))):
        raise KernelParamError(f"TRANSPOSE permutation {list(perm)} does not match a {len(shape)}-D input")
    if len(shape) > MAX_DIMS:
        raise KernelParamError(f"TRANSPOSE of a {len(shape)}-D tensor (max {MAX_DIMS})")
    strides = row_major_strides(shape)
    return {
        "ndim": max(len(shape), 1),
        "dims": _pad([shape[p] for p in perm] or [1], MAX_DIMS, 1),
        "strides": _pad([strides[p] for p in perm] or [0], MAX_DIMS),
        "offset": 0,
    }


def _clamp(v: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, v))


def strided_slice_params(
    input_shape: Sequence[int],
    begin: Sequence[int],
    end: Sequence[int],
    strides: Sequence[int],
    begin_mask: int = 0,
    end_mask: int = 0,
    shrink_axis_mask: int = 0,
    ellipsis_mask: int = 0,
    new_axis_mask: int = 0,
    offset: bool = False,
) -> tuple[Params, list[int]]:
    """ta_strided_slice_s8_params_t and the output shape, following TFLite's StartForAxis/StopForAxis."""
    if ellipsis_mask or new_axis_mask or offset:
        raise KernelParamError("STRIDED_SLICE with ellipsis_mask, new_axis_mask or offset is not supported")
    shape = [int(d) for d in input_shape]
    n = len(shape)
    if not (len(begin) == len(end) == len(strides)) or len(begin) > n:
        raise KernelParamError("STRIDED_SLICE begin/end/strides lengths do not match the input rank")
    begin = list(begin) + [0] * (n - len(begin))
    end = list(end) + [0] * (n - len(end))
    steps = list(strides) + [1] * (n - len(strides))
    # Axes past the given ones take the whole dimension.
    full = ((1 << n) - 1) ^ ((1 << len(strides)) - 1)
    begin_mask |= full
    end_mask |= full
    in_strides = row_major_strides(shape)
    dims: list[int] = []
    view_strides: list[int] = []
    out_shape: list[int] = []
    base = 0
    int_min, int_max = -(2**31), 2**31 - 1
    for axis in range(n):
        size = shape[axis]
        step = int(steps[axis])
        if step == 0:
            raise KernelParamError("STRIDED_SLICE stride 0")
        start = int(begin[axis])
        if begin_mask & (1 << axis):
            start = int_min if step > 0 else int_max
        if start < 0:
            start += size
        start = _clamp(start, 0, size) if step > 0 else _clamp(start, -1, size - 1)
        if shrink_axis_mask & (1 << axis):
            stop = start + 1
        else:
            stop = int(end[axis])
            if end_mask & (1 << axis):
                stop = int_max if step > 0 else int_min
            if stop < 0:
                stop += size
            stop = _clamp(stop, 0, size) if step > 0 else _clamp(stop, -1, size - 1)
        if step > 0:
            count = max(0, -(-(stop - start) // step))
        else:
            count = max(0, -(-(start - stop) // -step))
        dims.append(count)
        view_strides.append(in_strides[axis] * step)
        if count > 0:
            base += start * in_strides[axis]
        if not shrink_axis_mask & (1 << axis):
            out_shape.append(count)
    # Drop size-1 dims from the view (they move nothing) to stay within MAX_DIMS.
    keep = [i for i, d in enumerate(dims) if d != 1] or [0]
    dims = [dims[i] for i in keep]
    view_strides = [view_strides[i] for i in keep]
    if len(dims) > MAX_DIMS:
        raise KernelParamError(f"STRIDED_SLICE over {len(dims)} dims (max {MAX_DIMS})")
    params: Params = {
        "ndim": len(dims),
        "dims": _pad(dims, MAX_DIMS, 1),
        "strides": _pad(view_strides, MAX_DIMS),
        "offset": base,
    }
    return params, out_shape


def slice_view(input_shape: Sequence[int], begin: Sequence[int], size: Sequence[int]) -> Params:
    """ta_strided_view_t of the block input[begin : begin + size] (SLICE, SPLIT, SPLIT_V, UNPACK).

    TFLite SLICE semantics: size -1 means "to the end of the dimension"."""
    shape = [int(d) for d in input_shape]
    if len(begin) != len(shape) or len(size) != len(shape):
        raise KernelParamError(f"slice of a {len(shape)}-D tensor with begin {list(begin)} size {list(size)}")
    strides = row_major_strides(shape)
    dims, steps = [], []
    offset = 0
    for d, n in enumerate(shape):
        b, sz = int(begin[d]), int(size[d])
        if sz == -1:
            sz = n - b
        if b < 0 or sz < 0 or b + sz > n:
            raise KernelParamError(
                f"slice begin {list(begin)} size {list(size)} is outside the input {shape}"
            )
        offset += b * strides[d]
        if sz != 1:
            dims.append(sz)
            steps.append(strides[d])
    if not dims:
        dims, steps = [1], [0]
    if len(dims) > MAX_DIMS:
        raise KernelParamError(f"slice over {len(dims)} dims (max {MAX_DIMS})")
    return {
        "ndim": len(dims),
        "dims": _pad(dims, MAX_DIMS, 1),
        "strides": _pad(steps, MAX_DIMS),
        "offset": offset,
    }


def concatenation_params(shapes: Sequence[Sequence[int]], axis: int) -> tuple[int, list[int], list[int]]:
    """(outer, copy_sizes, output_shape) for ta_concatenation_s8."""
    rank = len(shapes[0])
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise KernelParamError(f"CONCATENATION axis {axis} out of range for rank {rank}")
    for s in shapes:
        if len(s) != rank or any(int(s[d]) != int(shapes[0][d]) for d in range(rank) if d != axis):
            raise KernelParamError(f"CONCATENATION inputs {[list(x) for x in shapes]} differ off the axis")
    outer = int(np.prod([int(shapes[0][d]) for d in range(axis)])) if axis > 0 else 1
    inner = int(np.prod([int(shapes[0][d]) for d in range(axis + 1, rank)])) if axis + 1 < rank else 1
    copy_sizes = [int(s[axis]) * inner for s in shapes]
    out_shape = [int(d) for d in shapes[0]]
    out_shape[axis] = sum(int(s[axis]) for s in shapes)
    return outer, copy_sizes, out_shape


def pack_params(shapes: Sequence[Sequence[int]], axis: int) -> tuple[int, list[int], list[int]]:
    """(outer, copy_sizes, output_shape) for ta_concatenation_s8 stacking equal shapes along a new axis:
    blocks of prod(shape[axis:]) per outer index."""
    rank = len(shapes[0])
    if axis < 0:
        axis += rank + 1
    if not 0 <= axis <= rank:
        raise KernelParamError(f"PACK axis {axis} out of range")
    if any(tuple(int(d) for d in s) != tuple(int(d) for d in shapes[0]) for s in shapes):
        raise KernelParamError("PACK inputs differ in shape")
    outer = int(np.prod([int(d) for d in shapes[0][:axis]])) if axis > 0 else 1
    block = int(np.prod([int(d) for d in shapes[0]])) // max(outer, 1)
    out_shape = [int(d) for d in shapes[0]]
    out_shape.insert(axis, len(shapes))
    return outer, [block] * len(shapes), out_shape


def gather_params(data_shape: Sequence[int], axis: int, batch_dims: int, num_indices: int) -> Params:
    """ta_gather_s8_params_t: the data seen as [outer, axis_size, inner] (TFLM gather.cc, batch_dims 0)."""
    if batch_dims != 0:
        raise KernelParamError(f"GATHER with batch_dims {batch_dims} is not supported")
    rank = len(data_shape)
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise KernelParamError(f"GATHER axis {axis} out of range")
    shape = [int(d) for d in data_shape]
    return {
        "outer": int(np.prod(shape[:axis])) if axis > 0 else 1,
        "axis_size": shape[axis],
        "inner": int(np.prod(shape[axis + 1 :])) if axis + 1 < rank else 1,
        "num_indices": int(num_indices),
    }


def batch_matmul_params(
    lhs_shape: Sequence[int],
    rhs_shape: Sequence[int],
    adj_x: bool,
    adj_y: bool,
    s_lhs: float,
    zp_lhs: int,
    s_rhs: float,
    zp_rhs: int,
    s_out: float,
    zp_out: int,
) -> tuple[Params, list[int]]:
    """ta_batch_matmul_s8_params_t and the output shape (TFLM batch_matmul.cc for int8)."""
    lhs = [int(d) for d in lhs_shape]
    rhs = [int(d) for d in rhs_shape]
    if len(lhs) < 2 or len(rhs) < 2 or len(lhs) > 5 or len(rhs) > 5:
        raise KernelParamError(f"BATCH_MATMUL operands of rank {len(lhs)} and {len(rhs)} (2..5 supported)")
    m, k = (lhs[-1], lhs[-2]) if adj_x else (lhs[-2], lhs[-1])
    k2, n = (rhs[-1], rhs[-2]) if adj_y else (rhs[-2], rhs[-1])
    if k != k2:
        raise KernelParamError(
            f"BATCH_MATMUL depth mismatch: lhs {lhs} rhs {rhs} adj_x={adj_x} adj_y={adj_y}"
        )
    bl, br = lhs[:-2], rhs[:-2]
    out_batch = broadcast_shape(bl, br) if (bl or br) else []
    nb = len(out_batch)
    bl = [1] * (nb - len(bl)) + bl
    br = [1] * (nb - len(br)) + br
    lstr = row_major_strides(bl + [lhs[-2] * lhs[-1]])[:nb]
    rstr = row_major_strides(br + [rhs[-2] * rhs[-1]])[:nb]
    lstr = [s if d != 1 else 0 for s, d in zip(lstr, bl, strict=True)]
    rstr = [s if d != 1 else 0 for s, d in zip(rstr, br, strict=True)]
    if nb > MAX_BATCH_DIMS:
        raise KernelParamError(f"BATCH_MATMUL with {nb} batch dims (max {MAX_BATCH_DIMS})")
    mult, shift = quantize_multiplier(_f32(s_lhs) * _f32(s_rhs) / _f32(s_out))
    params: Params = {
        "batch_ndim": nb,
        "batch_dims": _pad(out_batch, MAX_BATCH_DIMS, 1),
        "lhs_batch_strides": _pad(lstr, MAX_BATCH_DIMS),
        "rhs_batch_strides": _pad(rstr, MAX_BATCH_DIMS),
        "rows": m,
        "cols": n,
        "depth": k,
        "lhs_row_stride": 1 if adj_x else k,
        "lhs_depth_stride": m if adj_x else 1,
        "rhs_depth_stride": 1 if adj_y else n,
        "rhs_col_stride": k if adj_y else 1,
        "lhs_offset": -int(zp_lhs),
        "rhs_offset": -int(zp_rhs),
        "output_offset": int(zp_out),
        "output_multiplier": mult,
        "output_shift": shift,
        "activation_min": -128,
        "activation_max": 127,
    }
    return params, out_batch + [m, n]


def flatten(params: Params) -> list[int]:
    """An int32-only struct (every kernel's but the float-quantize one) as a flat int32 list."""
    out: list[int] = []
    for k, v in params.items():
        if isinstance(v, list):
            out.extend(int(x) for x in v)
        elif isinstance(v, float):
            raise TypeError(f"field {k} is a float: the struct is not int32-only")
        else:
            out.append(int(v))
    return out
