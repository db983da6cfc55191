#include "ta_leaky_relu_s8.h"

#include "ta_quant.h"

ta_status_t ta_leaky_relu_s8(const ta_leaky_relu_s8_params_t *params, const int8_t *input, int8_t *output,
                             int32_t size)
{
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->identity_shift >= -31 && params->identity_shift <= 30 && params->alpha_shift >= -31 &&
                        params->alpha_shift <= 30,
                    TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int32_t x = (int32_t)input[i] - params->input_zero_point;
        const int32_t scaled =
            x >= 0 ? ta_multiply_by_quantized_multiplier(x, params->identity_multiplier, params->identity_shift)
                   : ta_multiply_by_quantized_multiplier(x, params->alpha_multiplier, params->alpha_shift);
        output[i] = (int8_t)ta_clamp_i32(params->output_zero_point + scaled, -128, 127);
    }
    return TA_OK;
}
