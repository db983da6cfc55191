/* Fixed-point helpers shared by the int8 kernels; see ta_quant.h for what each reproduces. */
#include "ta_quant.h"

int32_t ta_multiply_by_quantized_multiplier_i64(int64_t x, int32_t multiplier, int shift)
{
    /* The multiplier is rounded to 16 bits so that x (up to 48 bits) times it fits in int64. */
    const int32_t reduced = (multiplier < 0x7FFF0000) ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
    const int total_shift = 15 - shift;
    const int64_t rounded = x * (int64_t)reduced + ((int64_t)1 << (total_shift - 1));
    return (int32_t)(rounded >> total_shift);
}

int32_t ta_sat_rounding_multiply_by_pot(int32_t x, int exponent)
{
    if (exponent > 0) {
        const int32_t threshold = (int32_t)(((uint32_t)1 << (31 - exponent)) - 1u);
        if (x > threshold) {
            return INT32_MAX;
        }
        if (x < -threshold) {
            return INT32_MIN;
        }
        return ta_wrap_shl(x, exponent);
    }
    if (exponent < 0) {
        return ta_rounding_divide_by_pot(x, -exponent);
    }
    return x;
}

int32_t ta_fx_rescale(int32_t x, int src_integer_bits, int dst_integer_bits)
{
    return ta_sat_rounding_multiply_by_pot(x, src_integer_bits - dst_integer_bits);
}

int32_t ta_rounding_half_sum(int32_t a, int32_t b)
{
    const int64_t sum = (int64_t)a + (int64_t)b;
    const int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

int32_t ta_exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a_q0)
{
    const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) in Q0.31 */
    const int32_t one_third = 715827883;             /* 1/3 in Q0.31 */
    /* Taylor expansion around -1/8: x = a + 1/8 (1/8 is 1 << 28 in Q0.31). */
    const int32_t x = ta_wrap_add(a_q0, (int32_t)1 << 28);
    const int32_t x2 = ta_sat_rounding_doubling_high_mul(x, x);
    const int32_t x3 = ta_sat_rounding_doubling_high_mul(x2, x);
    const int32_t x4 = ta_sat_rounding_doubling_high_mul(x2, x2);
    const int32_t x4_over_4 = ta_sat_rounding_multiply_by_pot(x4, -2);
    const int32_t poly = ta_sat_rounding_multiply_by_pot(
        ta_wrap_add(ta_sat_rounding_doubling_high_mul(ta_wrap_add(x4_over_4, x3), one_third), x2), -1);
    return ta_wrap_add(exp_minus_one_eighth,
                       ta_sat_rounding_doubling_high_mul(exp_minus_one_eighth, ta_wrap_add(x, poly)));
}

int32_t ta_exp_on_negative_values(int32_t a, int integer_bits)
{
    /* exp(-2^k) in Q0.31 for k = -2..4: multiplied in for each bit set above the quarter. */
    static const int32_t barrel_multipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                  39332535,   720401,     242};
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_one_quarter = ta_wrap_sub(a & mask, one_quarter);
    int32_t result = ta_exp_on_interval_between_negative_one_quarter_and_0_excl(
        ta_fx_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
    const int32_t remainder = ta_wrap_sub(a_mod_quarter_minus_one_quarter, a);
    for (int exponent = -2; exponent <= 4; ++exponent) {
        if (integer_bits > exponent) {
            const int shift_amount = fractional_bits + exponent;
            if (((uint32_t)remainder & ((uint32_t)1 << shift_amount)) != 0u) {
                result = ta_sat_rounding_doubling_high_mul(result, barrel_multipliers[exponent + 2]);
            }
        }
    }
    if (integer_bits > 5) {
        const int32_t clamp = -(int32_t)((uint32_t)1 << (36 - integer_bits)); /* -32.0 */
        if (a < clamp) {
            result = 0;
        }
    }
    if (a == 0) {
        result = INT32_MAX; /* One() of a Q0.31 */
    }
    return result;
}

int32_t ta_one_over_one_plus_x_for_x_in_0_1(int32_t a_q0)
{
    const int32_t half_denominator = ta_rounding_half_sum(a_q0, INT32_MAX);
    /* Newton-Raphson division in Q2.29, starting from 48/17 - 32/17 * d. */
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    const int32_t one_q2 = (int32_t)1 << 29;
    int32_t x = ta_wrap_add(constant_48_over_17,
                            ta_sat_rounding_doubling_high_mul(half_denominator, constant_neg_32_over_17));
    for (int i = 0; i < 3; ++i) {
        const int32_t half_denominator_times_x = ta_sat_rounding_doubling_high_mul(half_denominator, x);
        const int32_t one_minus = ta_wrap_sub(one_q2, half_denominator_times_x);
        x = ta_wrap_add(x, ta_fx_rescale(ta_sat_rounding_doubling_high_mul(x, one_minus), 4, 2));
    }
    /* x / 2 reinterpreted as Q1.30, then rescaled to Q0.31. */
    return ta_fx_rescale(x, 1, 0);
}

int ta_count_leading_zeros_u32(uint32_t x)
{
    if (x == 0u) {
        return 32;
    }
#if defined(__GNUC__)
    return __builtin_clz(x);
#else
    int n = 0;
    while ((x & 0x80000000u) == 0u) {
        x <<= 1;
        ++n;
    }
    return n;
#endif
}

int32_t ta_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit)
{
    const int headroom_plus_one = ta_count_leading_zeros_u32((uint32_t)x);
    *num_bits_over_unit = x_integer_digits - headroom_plus_one;
    const int32_t shifted_sum_minus_one =
        (int32_t)(((uint32_t)x << headroom_plus_one) - ((uint32_t)1 << 31));
    return ta_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}
