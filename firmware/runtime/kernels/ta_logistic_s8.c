#include "ta_logistic_s8.h"

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

ta_status_t ta_logistic_s8(const ta_logistic_s8_params_t *params, const int8_t *input, int8_t *output,
                           int32_t size)
{
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->input_left_shift >= -31 && params->input_left_shift <= 30, TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int32_t x = (int32_t)input[i] - params->input_zero_point;
        if (x <= -params->input_range_radius) {
            output[i] = -128;
        } else if (x >= params->input_range_radius) {
            output[i] = 127;
        } else {
            const int32_t in_q4 =
                ta_multiply_by_quantized_multiplier(x, params->input_multiplier, params->input_left_shift);
            const int32_t out_q23 = ta_rounding_divide_by_pot(logistic_q4(in_q4), 31 - 8);
            output[i] = (int8_t)ta_clamp_i32(out_q23 - 128, -128, 127);
        }
    }
    return TA_OK;
}
