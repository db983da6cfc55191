#include "ta_fully_connected_s8.h"

#include "ta_conv_s8_common.h"

ta_status_t ta_fully_connected_s8(const ta_fully_connected_s8_params_t *p, const int8_t *input,
                                  const int8_t *filter, const int32_t *bias, int8_t *output)
{
    TA_PRECONDITION(p != 0 && input != 0 && filter != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->output_multiplier != 0 && p->output_shift != 0, TA_ERR_NULL);
    TA_PRECONDITION(p->batches > 0 && p->accum_depth > 0 && p->output_depth > 0, TA_ERR_SHAPE);
    TA_PRECONDITION(p->activation_min <= p->activation_max, TA_ERR_PARAM);

    /* Per-channel weights are symmetric by the quantization spec: TFLM drops the filter offset. */
    const int32_t filter_offset = p->per_channel ? 0 : p->filter_offset;
    for (int32_t b = 0; b < p->batches; ++b) {
        const int8_t *in_row = input + b * p->accum_depth;
        for (int32_t oc = 0; oc < p->output_depth; ++oc) {
            const int8_t *w_row = filter + oc * p->accum_depth;
            int32_t acc = 0;
            for (int32_t d = 0; d < p->accum_depth; ++d) {
                acc += ((int32_t)w_row[d] + filter_offset) * ((int32_t)in_row[d] + p->input_offset);
            }
            const int32_t ch = p->per_channel ? oc : 0;
            output[b * p->output_depth + oc] =
                ta_conv_requantize(acc, bias, oc, p->output_multiplier[ch], p->output_shift[ch], p->output_offset,
                                   p->activation_min, p->activation_max);
        }
    }
    return TA_OK;
}
