#include "ta_sub_s8.h"

#include "ta_quant.h"

static int32_t sub_params_ok(const ta_sub_s8_params_t *p)
{
    return p->left_shift >= 0 && p->left_shift <= 20 && p->input1_shift <= 0 && p->input1_shift >= -31 &&
           p->input2_shift <= 0 && p->input2_shift >= -31 && p->output_shift <= 0 &&
           p->output_shift >= -31 && p->activation_min >= -128 && p->activation_max <= 127 &&
           p->activation_min <= p->activation_max;
}

static int8_t sub_one(const ta_sub_s8_params_t *p, int8_t a, int8_t b)
{
    const int32_t shifted1 = (p->input1_offset + a) * ((int32_t)1 << p->left_shift);
    const int32_t shifted2 = (p->input2_offset + b) * ((int32_t)1 << p->left_shift);
    const int32_t scaled1 =
        ta_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted1, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 =
        ta_multiply_by_quantized_multiplier_smaller_than_one_exp(shifted2, p->input2_multiplier, p->input2_shift);
    const int32_t raw = ta_multiply_by_quantized_multiplier_smaller_than_one_exp(
                            scaled1 - scaled2, p->output_multiplier, p->output_shift) +
                        p->output_offset;
    return (int8_t)ta_clamp_i32(raw, p->activation_min, p->activation_max);
}

ta_status_t ta_sub_s8(const ta_sub_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
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
    TA_PRECONDITION(sub_params_ok(params), TA_ERR_PARAM);
    total = ta_broadcast_count(shape);
    TA_PRECONDITION(total > 0, TA_ERR_SHAPE);
    inner = shape->dims[shape->ndim - 1];
    s1 = shape->strides1[shape->ndim - 1];
    s2 = shape->strides2[shape->ndim - 1];
    for (done = 0; done < total; done += inner) {
        int32_t i;
        for (i = 0; i < inner; ++i) {
            out[done + i] = sub_one(params, in1[off1 + i * s1], in2[off2 + i * s2]);
        }
        ta_broadcast_next_outer(shape, index, &off1, &off2);
    }
    return TA_OK;
}
