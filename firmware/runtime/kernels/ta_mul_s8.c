#include "ta_mul_s8.h"

#include "ta_quant.h"

ta_status_t ta_mul_s8(const ta_mul_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out)
{
    int32_t index[TA_MAX_DIMS] = {0};
    int32_t off1 = 0;
    int32_t off2 = 0;
    int32_t total;
    int32_t done;
    int32_t inner;
    int32_t s1;
    int32_t s2;
    TA_PRECONDITION(params != 0 && shape != 0 && in1 != 0 && in2 != 0 && out != 0, TA_ERR_NULL);
    TA_PRECONDITION(params->output_shift >= -31 && params->output_shift <= 30 &&
                        params->activation_min >= -128 && params->activation_max <= 127 &&
                        params->activation_min <= params->activation_max,
                    TA_ERR_PARAM);
    total = ta_broadcast_count(shape);
    TA_PRECONDITION(total > 0, TA_ERR_SHAPE);
    inner = shape->dims[shape->ndim - 1];
    s1 = shape->strides1[shape->ndim - 1];
    s2 = shape->strides2[shape->ndim - 1];
    for (done = 0; done < total; done += inner) {
        int32_t i;
        for (i = 0; i < inner; ++i) {
            const int32_t a = params->input1_offset + in1[off1 + i * s1];
            const int32_t b = params->input2_offset + in2[off2 + i * s2];
            const int32_t raw = ta_multiply_by_quantized_multiplier(a * b, params->output_multiplier,
                                                                    params->output_shift) +
                                params->output_offset;
            out[done + i] = (int8_t)ta_clamp_i32(raw, params->activation_min, params->activation_max);
        }
        ta_broadcast_next_outer(shape, index, &off1, &off2);
    }
    return TA_OK;
}
