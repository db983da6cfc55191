/* GATHER, int8 data (batch_dims 0): equal to TFLite Micro's reference Gather for int8, a copy of the
 * selected slices. The tensors are viewed as params [outer, axis_size, inner] and
 * output [outer, num_indices, inner]. Out-of-range indices are an error, as in TFLM. */
#ifndef TA_GATHER_S8_H
#define TA_GATHER_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t outer;
    int32_t axis_size;
    int32_t inner;
    int32_t num_indices;
} ta_gather_s8_params_t;

ta_status_t ta_gather_s8(const ta_gather_s8_params_t *params, const int8_t *input, const int32_t *indices,
                         int8_t *output);

#endif /* TA_GATHER_S8_H */
