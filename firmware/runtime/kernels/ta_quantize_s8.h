/* QUANTIZE (requantization between integer types, and float32 -> int8) and DEQUANTIZE
 * (int8/int16 -> float32): bit-exact with TFLite Micro's reference_ops::Requantize, AffineQuantize
 * and Dequantize. Element types are given by the function name: s8 = int8, s16 = int16, s32 = int32,
 * f32 = float. */
#ifndef TA_QUANTIZE_S8_H
#define TA_QUANTIZE_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t size;             /* number of elements */
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;       /* QuantizeMultiplier(input_scale / output_scale) */
    int32_t shift;
} ta_requantize_params_t;

ta_status_t ta_requantize_s8_s8(const ta_requantize_params_t *params, const int8_t *input, int8_t *output);
ta_status_t ta_requantize_s8_s16(const ta_requantize_params_t *params, const int8_t *input, int16_t *output);
ta_status_t ta_requantize_s8_s32(const ta_requantize_params_t *params, const int8_t *input, int32_t *output);
ta_status_t ta_requantize_s16_s8(const ta_requantize_params_t *params, const int16_t *input, int8_t *output);
ta_status_t ta_requantize_s16_s16(const ta_requantize_params_t *params, const int16_t *input, int16_t *output);
ta_status_t ta_requantize_s16_s32(const ta_requantize_params_t *params, const int16_t *input, int32_t *output);
ta_status_t ta_requantize_s32_s8(const ta_requantize_params_t *params, const int32_t *input, int8_t *output);
ta_status_t ta_requantize_s32_s16(const ta_requantize_params_t *params, const int32_t *input, int16_t *output);

typedef struct {
    int32_t size;
    int32_t zero_point;
    float scale;       /* output scale (float32 as stored in the model) */
} ta_affine_quantize_params_t;

/* float -> int8: round(x / scale) + zero_point, saturated (TFLM AffineQuantize). */
ta_status_t ta_quantize_f32_s8(const ta_affine_quantize_params_t *params, const float *input, int8_t *output);

/* int8 -> float: scale * (q - zero_point) computed in double, as TFLM's Dequantize. */
ta_status_t ta_dequantize_s8_f32(const ta_affine_quantize_params_t *params, const int8_t *input, float *output);
ta_status_t ta_dequantize_s16_f32(const ta_affine_quantize_params_t *params, const int16_t *input, float *output);

#endif /* TA_QUANTIZE_S8_H */
