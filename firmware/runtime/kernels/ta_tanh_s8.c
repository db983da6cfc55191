#include "ta_tanh_s8.h"

#include "ta_q4_activation_s8.h"
#include "ta_quant.h"

/* gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1: Q0.31 in and out (Newton-Raphson division). */
static int32_t one_minus_x_over_one_plus_x(int32_t a_q0)
{
    const int32_t f2_one = (int32_t)1 << 29;
    const int32_t c48_17 = 1515870810;      /* 48/17 in Q2.29 */
    const int32_t cneg32_17 = -1010580540;  /* -32/17 in Q2.29 */
    const int32_t half_denominator = ta_rounding_half_sum(a_q0, INT32_MAX);
    int32_t x = ta_wrap_add(c48_17, ta_sat_rounding_doubling_high_mul(half_denominator, cneg32_17));
    int i;
    for (i = 0; i < 3; ++i) {
        const int32_t hd_x = ta_sat_rounding_doubling_high_mul(half_denominator, x);
        const int32_t one_minus = ta_wrap_sub(f2_one, hd_x);
        x = ta_wrap_add(x, ta_fx_rescale(ta_sat_rounding_doubling_high_mul(x, one_minus), 4, 2));
    }
    return ta_fx_rescale(ta_wrap_sub(x, f2_one), 2, 0);
}

/* gemmlowp tanh() for a Q4.27 argument, Q0.31 result. */
static int32_t tanh_q4(int32_t a)
{
    int32_t n;
    int32_t t;
    if (a == 0) {
        return 0;
    }
    n = a < 0 ? a : ta_wrap_sub(0, a);
    /* ExactMulByPot<1> keeps the raw value and reads it with 5 integer bits. */
    t = one_minus_x_over_one_plus_x(ta_exp_on_negative_values(n, 5));
    return a < 0 ? ta_wrap_sub(0, t) : t;
}

/* Q0.31 tanh to the int8 output (Q0.7: scale 1/128, zero point 0). */
static inline int8_t tanh_out(int32_t in_q4)
{
    const int32_t out_q24 = ta_rounding_divide_by_pot(tanh_q4(in_q4), 31 - 7);
    return (int8_t)ta_clamp_i32(out_q24, -128, 127);
}

ta_status_t ta_tanh_s8(const ta_tanh_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size)
{
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    return ta_q4_activation_s8(params->input_zero_point, params->input_range_radius, params->input_multiplier,
                               params->input_left_shift, input, output, size, tanh_out);
}
