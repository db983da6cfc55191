#include "ta_gather_s8.h"

ta_status_t ta_gather_s8(const ta_gather_s8_params_t *params, const int8_t *input, const int32_t *indices,
                         int8_t *output)
{
    int32_t o;
    int32_t j;
    int32_t w = 0;
    TA_PRECONDITION(params != 0 && input != 0 && indices != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(params->outer >= 0 && params->axis_size >= 1 && params->inner >= 0 && params->num_indices >= 0,
                    TA_ERR_SHAPE);
    for (j = 0; j < params->num_indices; ++j) {
        TA_PRECONDITION(indices[j] >= 0 && indices[j] < params->axis_size, TA_ERR_PARAM);
    }
    for (o = 0; o < params->outer; ++o) {
        for (j = 0; j < params->num_indices; ++j) {
            const int8_t *src = input + ((int32_t)o * params->axis_size + indices[j]) * params->inner;
            int32_t i;
            for (i = 0; i < params->inner; ++i) {
                output[w++] = src[i];
            }
        }
    }
    return TA_OK;
}
