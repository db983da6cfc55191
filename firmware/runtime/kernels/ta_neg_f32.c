#include "ta_neg_f32.h"

ta_status_t ta_neg_f32(const float *input, float *output, int32_t size)
{
    int32_t i;
    TA_PRECONDITION(input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(size >= 0, TA_ERR_SHAPE);
    for (i = 0; i < size; ++i) {
        output[i] = -input[i];
    }
    return TA_OK;
}
