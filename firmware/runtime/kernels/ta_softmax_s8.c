#include "ta_softmax_s8.h"

#include "ta_quant.h"

enum {
    TA_SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5,
    TA_SOFTMAX_ACCUMULATION_INTEGER_BITS = 12
};

/* exp(input - max) as Q0.31 for one element whose difference passed the diff_min test. */
static int32_t ta_softmax_exp(const ta_softmax_s8_params_t *p, int32_t input_diff)
{
    const int32_t scaled_diff = ta_multiply_by_quantized_multiplier_greater_than_one(
        input_diff, p->input_multiplier, p->input_left_shift);
    return ta_exp_on_negative_values(scaled_diff, TA_SOFTMAX_SCALED_DIFF_INTEGER_BITS);
}

/* Shared row loop; output_bits is 8 or 16, out8/out16 the matching output. */
static ta_status_t ta_softmax_rows(const ta_softmax_s8_params_t *p, const int8_t *input, int8_t *out8,
                                   int16_t *out16, int output_bits)
{
    TA_PRECONDITION(p != 0 && input != 0 && (out8 != 0 || out16 != 0), TA_ERR_NULL);
    TA_PRECONDITION(p->outer_size > 0 && p->depth > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->input_left_shift >= 0 && p->input_left_shift <= 31, TA_ERR_PARAM);
    const int32_t out_min = output_bits == 8 ? INT8_MIN : INT16_MIN;
    const int32_t out_max = output_bits == 8 ? INT8_MAX : INT16_MAX;

    for (int32_t row = 0; row < p->outer_size; ++row) {
        const int8_t *in = input + row * p->depth;
        int32_t max_in_row = INT8_MIN;
        for (int32_t c = 0; c < p->depth; ++c) {
            max_in_row = in[c] > max_in_row ? in[c] : max_in_row;
        }
        int32_t sum_of_exps = 0; /* Q12.19 */
        for (int32_t c = 0; c < p->depth; ++c) {
            const int32_t input_diff = (int32_t)in[c] - max_in_row;
            if (input_diff >= p->diff_min) {
                sum_of_exps = ta_wrap_add(sum_of_exps, ta_fx_rescale(ta_softmax_exp(p, input_diff), 0,
                                                                     TA_SOFTMAX_ACCUMULATION_INTEGER_BITS));
            }
        }
        /* The row maximum contributes exp(0) = 1, so the sum is positive. */
        TA_PRECONDITION(sum_of_exps > 0, TA_ERR_PARAM);
        int num_bits_over_unit = 0;
        const int32_t shifted_scale =
            ta_get_reciprocal(sum_of_exps, TA_SOFTMAX_ACCUMULATION_INTEGER_BITS, &num_bits_over_unit);
        const int exponent = num_bits_over_unit + 31 - output_bits;
        TA_PRECONDITION(exponent >= 0 && exponent <= 31, TA_ERR_UNSUPPORTED);
        for (int32_t c = 0; c < p->depth; ++c) {
            const int32_t input_diff = (int32_t)in[c] - max_in_row;
            int32_t value = out_min;
            if (input_diff >= p->diff_min) {
                const int32_t exp_in_0 = ta_softmax_exp(p, input_diff);
                const int32_t unsat = ta_rounding_divide_by_pot(
                    ta_sat_rounding_doubling_high_mul(shifted_scale, exp_in_0), exponent);
                value = ta_clamp_i32(unsat + out_min, out_min, out_max);
            }
            if (output_bits == 8) {
                out8[row * p->depth + c] = (int8_t)value;
            } else {
                out16[row * p->depth + c] = (int16_t)value;
            }
        }
    }
    return TA_OK;
}

ta_status_t ta_softmax_s8(const ta_softmax_s8_params_t *params, const int8_t *input, int8_t *output)
{
    TA_PRECONDITION(output != 0, TA_ERR_NULL);
    return ta_softmax_rows(params, input, output, 0, 8);
}

ta_status_t ta_softmax_s8_s16(const ta_softmax_s8_params_t *params, const int8_t *input, int16_t *output)
{
    TA_PRECONDITION(output != 0, TA_ERR_NULL);
    return ta_softmax_rows(params, input, 0, output, 16);
}
