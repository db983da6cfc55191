#include "ta_concatenation_s8.h"

ta_status_t ta_concatenation_s8(int32_t num_inputs, const int8_t *const *inputs, const int32_t *copy_sizes,
                                int32_t outer, int8_t *output)
{
    int32_t o;
    int32_t k;
    int32_t w = 0;
    TA_PRECONDITION(inputs != 0 && copy_sizes != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(num_inputs >= 1 && outer >= 0, TA_ERR_SHAPE);
    for (k = 0; k < num_inputs; ++k) {
        TA_PRECONDITION(inputs[k] != 0, TA_ERR_NULL);
        TA_PRECONDITION(copy_sizes[k] >= 0, TA_ERR_SHAPE);
    }
    for (o = 0; o < outer; ++o) {
        for (k = 0; k < num_inputs; ++k) {
            const int32_t n = copy_sizes[k];
            const int8_t *src = inputs[k] + o * n;
            int32_t i;
            for (i = 0; i < n; ++i) {
                output[w++] = src[i];
            }
        }
    }
    return TA_OK;
}
