#include "ta_mul_s8.h"

#include "ta_elementwise_s8.h"
#include "ta_quant.h"

static inline int8_t mul_one(const void *params, int8_t a, int8_t b)
{
    const ta_mul_s8_params_t *p = (const ta_mul_s8_params_t *)params;
    const int32_t raw = ta_multiply_by_quantized_multiplier((p->input1_offset + a) * (p->input2_offset + b),
                                                            p->output_multiplier, p->output_shift) +
                        p->output_offset;
    return (int8_t)ta_clamp_i32(raw, p->activation_min, p->activation_max);
}

ta_status_t ta_mul_s8(const ta_mul_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out)
{
    TA_PRECONDITION(params != 0 && shape != 0 && in1 != 0 && in2 != 0 && out != 0, TA_ERR_NULL);
    TA_PRECONDITION(params->output_shift >= -31 && params->output_shift <= 30 &&
                        params->activation_min >= -128 && params->activation_max <= 127 &&
                        params->activation_min <= params->activation_max,
                    TA_ERR_PARAM);
    return ta_elementwise_binary_s8(shape, in1, in2, out, mul_one, params);
}
