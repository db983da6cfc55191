/* LEAKY_RELU, int8: bit-exact with TFLite Micro's QuantizeLeakyRelu (one multiplier for x >= 0, one
 * for the alpha slope; TFLM forms both ratios in float32 before widening to double). */
#ifndef TA_LEAKY_RELU_S8_H
#define TA_LEAKY_RELU_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t identity_multiplier; /* QuantizeMultiplier((float)(s_in / s_out)) */
    int32_t identity_shift;
    int32_t alpha_multiplier;    /* QuantizeMultiplier((float)(s_in * alpha / s_out)) */
    int32_t alpha_shift;
} ta_leaky_relu_s8_params_t;

ta_status_t ta_leaky_relu_s8(const ta_leaky_relu_s8_params_t *params, const int8_t *input, int8_t *output,
                             int32_t size);

#endif /* TA_LEAKY_RELU_S8_H */
