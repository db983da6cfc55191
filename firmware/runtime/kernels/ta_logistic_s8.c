#include "ta_logistic_s8.h"

#include "ta_q4_activation_s8.h"
#include "ta_quant.h"

/* gemmlowp logistic() for a Q4.27 argument, Q0.31 result. */
static int32_t logistic_q4(int32_t a)
{
    int32_t abs_a;
    int32_t positive;
    if (a == 0) {
        return (int32_t)1 << 30; /* one half */
    }
    abs_a = a > 0 ? a : ta_wrap_sub(0, a);
    positive = ta_one_over_one_plus_x_for_x_in_0_1(ta_exp_on_negative_values(ta_wrap_sub(0, abs_a), 4));
    return a > 0 ? positive : ta_wrap_sub(INT32_MAX, positive);
}

/* Q0.31 logistic to the int8 output (scale 1/256, zero point -128). */
static inline int8_t logistic_out(int32_t in_q4)
{
    const int32_t out_q23 = ta_rounding_divide_by_pot(logistic_q4(in_q4), 31 - 8);
    return (int8_t)ta_clamp_i32(out_q23 - 128, -128, 127);
}

ta_status_t ta_logistic_s8(const ta_logistic_s8_params_t *params, const int8_t *input, int8_t *output,
                           int32_t size)
{
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    return ta_q4_activation_s8(params->input_zero_point, params->input_range_radius, params->input_multiplier,
                               params->input_left_shift, input, output, size, logistic_out);
}
