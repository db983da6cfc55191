/* Integer requantization and fixed-point helpers shared by all int8 kernels.
 *
 * These reproduce, bit for bit, the arithmetic TensorFlow Lite Micro's reference kernels use
 * (gemmlowp's fixed-point primitives and TFLite's MultiplyByQuantizedMultiplier family, in their
 * default "double rounding" form). Wrapping that TFLM relies on in C++ (int32 adds/shifts that may
 * overflow) is done here through uint32 so it is defined behaviour in C99 and clean under UBSan.
 *
 * Naming: a "Qn" fixed-point value is an int32 with n integer bits and 31-n fractional bits,
 * as gemmlowp's FixedPoint<int32_t, n>. */
#ifndef TA_QUANT_H
#define TA_QUANT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- elementary integer operations (inline: they sit in every inner loop) -------------------- */

/* a + b with two's-complement wrap-around (gemmlowp's int32 operator+). */
static inline int32_t ta_wrap_add(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* a - b with two's-complement wrap-around. */
static inline int32_t ta_wrap_sub(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

/* x * 2^shift for 0 <= shift <= 31 with wrap-around (TFLM's `x * (1 << shift)`). */
static inline int32_t ta_wrap_shl(int32_t x, int shift)
{
    return (int32_t)((uint32_t)x << shift);
}

/* gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), saturating the one overflow
 * case a == b == INT32_MIN. */
static inline int32_t ta_sat_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    const int64_t ab = (int64_t)a * (int64_t)b;
    const int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    /* C99 division truncates toward zero, as the C++ reference does. */
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
 * 0 <= exponent <= 31. Relies on arithmetic right shift of negative values (gcc, clang, armcc). */
static inline int32_t ta_rounding_divide_by_pot(int32_t x, int exponent)
{
    const int32_t mask = (int32_t)(((uint32_t)1 << exponent) - 1u);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier (int32 x, double rounding): x * multiplier * 2^shift where
 * multiplier is Q0.31 in [2^30, 2^31) (or 0) and shift is in [-31, 30]. */
static inline int32_t ta_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift)
{
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    return ta_rounding_divide_by_pot(
        ta_sat_rounding_doubling_high_mul(ta_wrap_shl(x, left_shift), multiplier), right_shift);
}

/* TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp: shift <= 0 (used by ADD/SUB). */
static inline int32_t ta_multiply_by_quantized_multiplier_smaller_than_one_exp(int32_t x,
                                                                               int32_t multiplier,
                                                                               int left_shift)
{
    return ta_rounding_divide_by_pot(ta_sat_rounding_doubling_high_mul(x, multiplier), -left_shift);
}

/* TFLite MultiplyByQuantizedMultiplierGreaterThanOne: left_shift >= 0 (used by SOFTMAX). */
static inline int32_t ta_multiply_by_quantized_multiplier_greater_than_one(int32_t x,
                                                                           int32_t multiplier,
                                                                           int left_shift)
{
    return ta_sat_rounding_doubling_high_mul(ta_wrap_shl(x, left_shift), multiplier);
}

/* TFLite MultiplyByQuantizedMultiplier for int64 x (16x8 kernels): multiplier reduced to 16 bits,
 * one rounding; x in [-2^47, 2^47), shift in [-31, 7]. */
int32_t ta_multiply_by_quantized_multiplier_i64(int64_t x, int32_t multiplier, int shift);

static inline int32_t ta_clamp_i32(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* ---- gemmlowp fixed-point transcendental building blocks ---------------------------------------- */

/* gemmlowp SaturatingRoundingMultiplyByPOT: x * 2^exponent, saturating when exponent > 0,
 * rounding (RoundingDivideByPOT) when exponent < 0. -31 <= exponent <= 31. */
int32_t ta_sat_rounding_multiply_by_pot(int32_t x, int exponent);

/* gemmlowp Rescale: a value with `src_integer_bits` re-expressed with `dst_integer_bits`. */
int32_t ta_fx_rescale(int32_t x, int src_integer_bits, int dst_integer_bits);

/* gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero, without overflow. */
int32_t ta_rounding_half_sum(int32_t a, int32_t b);

/* gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl: Q0.31 in, Q0.31 out. */
int32_t ta_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a_q0);

/* gemmlowp exp_on_negative_values: `a` has `integer_bits` integer bits (1..31) and is <= 0;
 * returns exp(a) as Q0.31. */
int32_t ta_exp_on_negative_values(int32_t a, int integer_bits);

/* gemmlowp one_over_one_plus_x_for_x_in_0_1: Q0.31 in [0, 1) in, 1/(1+x) as Q0.31 out. */
int32_t ta_one_over_one_plus_x_for_x_in_0_1(int32_t a_q0);

/* TFLite GetReciprocal: for x > 0 with `x_integer_digits` integer bits, returns a Q0.31 scale and
 * *num_bits_over_unit such that 1/x = scale * 2^-num_bits_over_unit. */
int32_t ta_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit);

/* Number of leading zero bits of a 32-bit value (32 for zero). Portable, loop-free on ARM with gcc. */
int ta_count_leading_zeros_u32(uint32_t x);

#ifdef __cplusplus
}
#endif

#endif /* TA_QUANT_H */
