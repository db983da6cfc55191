#include "ta_quantize_s8.h"

#include <math.h>

#include "ta_quant.h"

/* One requantized element: MultiplyByQuantizedMultiplier(q - zp_in) + zp_out, saturated. */
static int32_t ta_requantize_one(const ta_requantize_params_t *p, int32_t q, int32_t lo, int32_t hi)
{
    const int32_t scaled = ta_multiply_by_quantized_multiplier(q - p->input_zero_point, p->multiplier, p->shift);
    /* Adding the zero point in int64 keeps int32 outputs free of signed overflow. */
    const int64_t out = (int64_t)scaled + (int64_t)p->output_zero_point;
    return out < lo ? lo : (out > hi ? hi : (int32_t)out);
}

#define TA_DEFINE_REQUANTIZE(NAME, IN_T, OUT_T, LO, HI)                                           \
    ta_status_t NAME(const ta_requantize_params_t *params, const IN_T *input, OUT_T *output)      \
    {                                                                                             \
        TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);                   \
        TA_PRECONDITION(params->size >= 0, TA_ERR_SHAPE);                                         \
        for (int32_t i = 0; i < params->size; ++i) {                                              \
            output[i] = (OUT_T)ta_requantize_one(params, (int32_t)input[i], (LO), (HI));          \
        }                                                                                         \
        return TA_OK;                                                                             \
    }

TA_DEFINE_REQUANTIZE(ta_requantize_s8_s8, int8_t, int8_t, INT8_MIN, INT8_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s8_s16, int8_t, int16_t, INT16_MIN, INT16_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s8_s32, int8_t, int32_t, INT32_MIN, INT32_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s16_s8, int16_t, int8_t, INT8_MIN, INT8_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s16_s16, int16_t, int16_t, INT16_MIN, INT16_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s16_s32, int16_t, int32_t, INT32_MIN, INT32_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s32_s8, int32_t, int8_t, INT8_MIN, INT8_MAX)
TA_DEFINE_REQUANTIZE(ta_requantize_s32_s16, int32_t, int16_t, INT16_MIN, INT16_MAX)

ta_status_t ta_quantize_f32_s8(const ta_affine_quantize_params_t *p, const float *input, int8_t *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->size >= 0 && p->scale > 0.0f, TA_ERR_PARAM);
    for (int32_t i = 0; i < p->size; ++i) {
        const float r = roundf(input[i] / p->scale); /* roundf: halves away from zero, as std::round */
        /* Saturate in float first: converting an out-of-range float to int is undefined in C. */
        const float lo = (float)(INT8_MIN - p->zero_point);
        const float hi = (float)(INT8_MAX - p->zero_point);
        const float clamped = r < lo ? lo : (r > hi ? hi : r);
        output[i] = (int8_t)((int32_t)clamped + p->zero_point);
    }
    return TA_OK;
}

ta_status_t ta_dequantize_s8_f32(const ta_affine_quantize_params_t *p, const int8_t *input, float *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->size >= 0, TA_ERR_SHAPE);
    const double scale = (double)p->scale;
    for (int32_t i = 0; i < p->size; ++i) {
        output[i] = (float)(scale * (double)((int32_t)input[i] - p->zero_point));
    }
    return TA_OK;
}

ta_status_t ta_dequantize_s16_f32(const ta_affine_quantize_params_t *p, const int16_t *input, float *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->size >= 0, TA_ERR_SHAPE);
    const double scale = (double)p->scale;
    for (int32_t i = 0; i < p->size; ++i) {
        output[i] = (float)(scale * (double)((int32_t)input[i] - p->zero_point));
    }
    return TA_OK;
}
