/* RELU and RELU6, int8: bit-exact with TFLite Micro's ReluQuantized / Relu6Quantized.
 *
 * RELU requantizes (input scale -> output scale) and clamps at the output's zero (TFLM's
 * CalculateReluOpData). RELU6 in TFLM does not requantize: it clamps the raw input between the input's
 * quantized 0 and 6 and copies, whatever the output tensor says; ta_relu6_s8 does the same. */
#ifndef TA_RELU_S8_H
#define TA_RELU_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;       /* QuantizeMultiplier(s_in / s_out) */
    int32_t shift;
    int32_t activation_min;   /* max(-128, zp_out + roundf(0 / s_out)) */
    int32_t activation_max;   /* 127 */
} ta_relu_s8_params_t;

typedef struct {
    int32_t lower;            /* input zero point */
    int32_t upper;            /* roundf(6 / s_in) + zp_in, clamped to int8 */
} ta_relu6_s8_params_t;

ta_status_t ta_relu_s8(const ta_relu_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size);

ta_status_t ta_relu6_s8(const ta_relu6_s8_params_t *params, const int8_t *input, int8_t *output, int32_t size);

#endif /* TA_RELU_S8_H */
