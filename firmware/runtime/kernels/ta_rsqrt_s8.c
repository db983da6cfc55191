#include "ta_rsqrt_s8.h"

#include "ta_quant.h"

/* Fixed-point inverse square root of an integer >= 2, as TFLite's GetInvSqrtQuantizedMultiplierExp with
 * reverse_shift = -1: returns a Q0.31 multiplier and a left shift. */
static void inv_sqrt_multiplier(int32_t input, int32_t *out_multiplier, int *out_shift)
{
    const int32_t f3_one = (int32_t)1 << 28;                        /* 1.0 in Q3.28 */
    const int32_t f3_half_three = ((int32_t)1 << 28) + ((int32_t)1 << 27); /* 1.5 in Q3.28 */
    const int32_t f0_half_sqrt_2 = 1518500250;                     /* sqrt(2)/2 in Q0.31 */
    int shift = 11;
    int left_shift_bit_pairs;
    int32_t half_input;
    int32_t x;
    int i;
    if (input <= 1) {
        *out_multiplier = INT32_MAX;
        *out_shift = 0;
        return;
    }
    while (input >= ((int32_t)1 << 29)) {
        input /= 4;
        ++shift;
    }
    left_shift_bit_pairs = (ta_count_leading_zeros_u32((uint32_t)input) - 1) / 2 - 1;
    shift -= left_shift_bit_pairs;
    input = ta_wrap_shl(input, 2 * left_shift_bit_pairs);
    /* Q3.28 view of input/2^... as gemmlowp's F3::FromRaw(input >> 1), halved once more. */
    half_input = ta_rounding_divide_by_pot(input >> 1, 1);
    x = f3_one;
    for (i = 0; i < 5; ++i) {
        const int32_t x2 = ta_sat_rounding_doubling_high_mul(x, x);           /* Q6 */
        const int32_t x3 = ta_fx_rescale(ta_sat_rounding_doubling_high_mul(x2, x), 9, 3);
        const int32_t a = ta_sat_rounding_doubling_high_mul(f3_half_three, x); /* Q6 */
        const int32_t b = ta_sat_rounding_doubling_high_mul(half_input, x3);   /* Q6 */
        x = ta_fx_rescale(ta_wrap_sub(a, b), 6, 3);
    }
    x = ta_sat_rounding_doubling_high_mul(x, f0_half_sqrt_2); /* Q3 */
    if (shift < 0) {
        x = ta_wrap_shl(x, -shift);
        shift = 0;
    }
    *out_multiplier = x;
    *out_shift = -shift;
}

ta_status_t ta_rsqrt_s8(const ta_rsqrt_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size)
{
    const int32_t k_shift = 20; /* TFLM's headroom so the intermediate stays an integer */
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->shift - k_shift >= -31 && params->shift - k_shift <= 30, TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int32_t value = (int32_t)input[i] - params->input_zero_point;
        int32_t inv_multiplier;
        int inv_shift;
        int32_t data;
        int32_t out;
        TA_PRECONDITION(value >= 0, TA_ERR_PARAM);
        if (value == 0) {
            output[i] = 127;
            continue;
        }
        inv_sqrt_multiplier(value, &inv_multiplier, &inv_shift);
        data = ta_multiply_by_quantized_multiplier(1, inv_multiplier, inv_shift + k_shift);
        out = ta_multiply_by_quantized_multiplier(data, params->multiplier, params->shift - k_shift) +
              params->output_zero_point;
        output[i] = (int8_t)ta_clamp_i32(out, -128, 127);
    }
    return TA_OK;
}
