#include "ta_abs_s8.h"

#include "ta_quant.h"

ta_status_t ta_abs_s8(const ta_abs_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size)
{
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->shift >= -31 && params->shift <= 30, TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        int32_t v = (int32_t)input[i] - params->input_zero_point;
        v = v < 0 ? -v : v;
        if (params->needs_rescale) {
            v = ta_multiply_by_quantized_multiplier(v, params->multiplier, params->shift);
        }
        output[i] = (int8_t)ta_clamp_i32(v + params->output_zero_point, -128, 127);
    }
    return TA_OK;
}
