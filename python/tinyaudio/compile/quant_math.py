"""Quantization arithmetic done at compile time, exactly as TFLite Micro does it in its Prepare step.

The compiler precomputes every multiplier/shift pair and activation range that TFLM's kernels compute
when the interpreter starts, so the C code only runs the integer part. Bit-exactness starts here: the
same float64 expressions, the same frexp/round, the same clamps as TFLite's quantization_util.cc and
kernel_util.cc.

Also holds scalar Python mirrors of the C fixed-point primitives in firmware/runtime/support/ta_quant.h
(used by tests and by emitters that need to evaluate a constant).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from tinyaudio.compile.schema import ActivationFunctionType

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def round_half_away(x: float) -> float:
    """std::round / TfLiteRound for doubles: halves go away from zero (Python's round() does not)."""
    if x < 0:
        return -round_half_away(-x)
    floor = math.floor(x)
    return floor + 1.0 if x - floor >= 0.5 else float(floor)


def quantize_multiplier(real_multiplier: float) -> tuple[int, int]:
    """TFLite QuantizeMultiplier: real = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31).

    Returns (multiplier, shift); shift > 0 means a left shift. Tiny multipliers (shift < -31) flush to
    (0, 0) as TFLite does.
    """
    if not math.isfinite(real_multiplier) or real_multiplier < 0.0:
        raise ValueError(f"multiplier {real_multiplier!r} is not a finite non-negative number")
    if real_multiplier == 0.0:
        return 0, 0
    q, shift = math.frexp(real_multiplier)
    q_fixed = int(round_half_away(q * float(1 << 31)))
    if q_fixed > (1 << 31):
        raise ValueError(f"quantize_multiplier: {real_multiplier!r} gives an out-of-range significand")
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift = 0
        q_fixed = 0
    return q_fixed, shift


def quantize_multiplier_smaller_than_one_exp(real_multiplier: float) -> tuple[int, int]:
    """TFLite QuantizeMultiplierSmallerThanOneExp: (multiplier, left_shift) with left_shift <= 0."""
    if not 0.0 < real_multiplier < 1.0:
        raise ValueError(f"multiplier {real_multiplier!r} is not in (0, 1)")
    multiplier, shift = quantize_multiplier(real_multiplier)
    if shift > 0:
        raise ValueError(f"multiplier {real_multiplier!r} gave a positive shift {shift}")
    return multiplier, shift


def quantize_multiplier_greater_than_one(real_multiplier: float) -> tuple[int, int]:
    """TFLite QuantizeMultiplierGreaterThanOne: (multiplier, left_shift) with left_shift >= 0."""
    if not real_multiplier > 1.0:
        raise ValueError(f"multiplier {real_multiplier!r} is not > 1")
    multiplier, shift = quantize_multiplier(real_multiplier)
    if shift < 0:
        raise ValueError(f"multiplier {real_multiplier!r} gave a negative shift {shift}")
    return multiplier, shift


def per_channel_multipliers(
    input_scale: float, filter_scales: Sequence[float], output_scale: float, num_channels: int
) -> tuple[list[int], list[int]]:
    """TFLM PopulateConvolutionQuantizationParams: one (multiplier, shift) per output channel.

    `filter_scales` of length 1 (per-tensor weights) is broadcast to every channel, as TFLM does.
    All scales arrive as float32 values; the product is formed in float64 like TFLM.
    """
    if len(filter_scales) not in (1, num_channels):
        raise ValueError(f"{len(filter_scales)} filter scales for {num_channels} channels")
    multipliers: list[int] = []
    shifts: list[int] = []
    for channel in range(num_channels):
        filter_scale = float(filter_scales[channel if len(filter_scales) > 1 else 0])
        effective = float(input_scale) * filter_scale / float(output_scale)
        m, s = quantize_multiplier(effective)
        multipliers.append(m)
        shifts.append(s)
    return multipliers, shifts


def _quantize_float32(value: float, scale: float, zero_point: int) -> int:
    """TFLM's activation-range lambda: zero_point + (int)round(f / scale) in float32."""
    with np.errstate(all="ignore"):  # a zero scale gives inf/nan, refused by round_half_away's caller
        ratio = np.float32(value) / np.float32(scale)
    return int(zero_point) + int(round_half_away(float(ratio)))


def activation_range_int8(activation: int, scale: float, zero_point: int) -> tuple[int, int]:
    """TFLite CalculateActivationRangeQuantized for an int8 output tensor."""
    qmin, qmax = -128, 127
    if activation == ActivationFunctionType.NONE:
        return qmin, qmax
    if activation == ActivationFunctionType.RELU:
        return max(qmin, _quantize_float32(0.0, scale, zero_point)), qmax
    if activation == ActivationFunctionType.RELU6:
        return (
            max(qmin, _quantize_float32(0.0, scale, zero_point)),
            min(qmax, _quantize_float32(6.0, scale, zero_point)),
        )
    if activation == ActivationFunctionType.RELU_N1_TO_1:
        return (
            max(qmin, _quantize_float32(-1.0, scale, zero_point)),
            min(qmax, _quantize_float32(1.0, scale, zero_point)),
        )
    raise ValueError(f"fused activation {activation} has no int8 range")


def preprocess_softmax_scaling(beta: float, input_scale: float, input_integer_bits: int) -> tuple[int, int]:
    """TFLite PreprocessSoftmaxScaling: (multiplier, left_shift) for the scaled input differences."""
    real = min(beta * input_scale * float(1 << (31 - input_integer_bits)), float((1 << 31) - 1))
    return quantize_multiplier_greater_than_one(real)


def calculate_input_radius(
    input_integer_bits: int, input_left_shift: int, total_signed_bits: int = 31
) -> int:
    """TFLite CalculateInputRadius: the largest |input diff| that does not saturate after rescaling."""
    max_input_rescaled = (
        1.0
        * ((1 << input_integer_bits) - 1)
        * float(1 << (total_signed_bits - input_integer_bits))
        / float(1 << input_left_shift)
    )
    return int(math.floor(max_input_rescaled))


# ---- scalar mirrors of firmware/runtime/support/ta_quant.h (for tests and constant folding) ----------


def wrap_int32(x: int) -> int:
    """Two's-complement wrap of a Python int to int32."""
    return ((x + 2**31) % 2**32) - 2**31


def sat_rounding_doubling_high_mul(a: int, b: int) -> int:
    """gemmlowp SaturatingRoundingDoublingHighMul."""
    if a == b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    num = ab + nudge
    # C division truncates toward zero.
    quotient = abs(num) // (1 << 31)
    return quotient if num >= 0 else -quotient


def rounding_divide_by_pot(x: int, exponent: int) -> int:
    """gemmlowp RoundingDivideByPOT (ties away from zero)."""
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def multiply_by_quantized_multiplier(x: int, multiplier: int, shift: int) -> int:
    """TFLite MultiplyByQuantizedMultiplier (int32, double rounding)."""
    left_shift = max(shift, 0)
    right_shift = max(-shift, 0)
    return rounding_divide_by_pot(
        sat_rounding_doubling_high_mul(wrap_int32(x * (1 << left_shift)), multiplier), right_shift
    )
