#include "ta_relu_s8.h"

#include "ta_quant.h"

ta_status_t ta_relu_s8(const ta_relu_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size)
{
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->shift >= -31 && params->shift <= 30 && params->activation_min <= params->activation_max,
                    TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int32_t v = params->output_zero_point +
                          ta_multiply_by_quantized_multiplier((int32_t)input[i] - params->input_zero_point,
                                                              params->multiplier, params->shift);
        output[i] = (int8_t)ta_clamp_i32(v, params->activation_min, params->activation_max);
    }
    return TA_OK;
}

ta_status_t ta_relu6_s8(const ta_relu6_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size)
{
    int32_t i;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    TA_PRECONDITION(params->lower >= -128 && params->upper <= 127, TA_ERR_PARAM);
    for (i = 0; i < size; ++i) {
        const int32_t v = input[i];
        /* Same order of tests as TFLM: a lower > upper pair gives `upper` for large values. */
        output[i] = (int8_t)(v > params->upper ? params->upper : (v < params->lower ? params->lower : v));
    }
    return TA_OK;
}
