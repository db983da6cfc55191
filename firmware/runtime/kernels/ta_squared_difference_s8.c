#include "ta_squared_difference_s8.h"

#include "ta_elementwise_s8.h"
#include "ta_quant.h"

static inline int8_t squared_difference_one(const void *params, int8_t a, int8_t b)
{
    const ta_squared_difference_s8_params_t *p = (const ta_squared_difference_s8_params_t *)params;
    const int32_t shifted1 = (p->input1_offset + a) * ((int32_t)1 << p->left_shift);
    const int32_t shifted2 = (p->input2_offset + b) * ((int32_t)1 << p->left_shift);
    const int32_t scaled1 =
        ta_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted1, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 =
        ta_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted2, p->input2_multiplier, p->input2_shift);
    const int32_t diff = scaled1 - scaled2;
    /* |diff| <= 255 * 2^7, so the square fits in int32 (TFLM relies on the same bound). */
    const int32_t raw =
        ta_multiply_by_quantized_multiplier(diff * diff, p->output_multiplier, p->output_shift) +
        p->output_offset;
    return (int8_t)ta_clamp_i32(raw, -128, 127);
}

ta_status_t ta_squared_difference_s8(const ta_squared_difference_s8_params_t *params,
                                     const ta_broadcast_t *shape, const int8_t *in1, const int8_t *in2,
                                     int8_t *out)
{
    TA_PRECONDITION(params != 0 && shape != 0 && in1 != 0 && in2 != 0 && out != 0, TA_ERR_NULL);
    TA_PRECONDITION(params->left_shift >= 0 && params->left_shift <= 7 && params->input1_shift <= 0 &&
                        params->input1_shift >= -31 && params->input2_shift <= 0 &&
                        params->input2_shift >= -31 && params->output_shift >= -31 &&
                        params->output_shift <= 30,
                    TA_ERR_PARAM);
    return ta_elementwise_binary_s8(shape, in1, in2, out, squared_difference_one, params);
}
