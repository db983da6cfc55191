/* STRIDED_SLICE, int8: pure data movement, equal to TFLite Micro's reference STRIDED_SLICE for int8 (no requantization:
 * TFLM requires the output quantization to equal the input's). The compiler resolves the op's
 * parameters into a strided view of the input (see ta_strided_copy_s8.h). */
#ifndef TA_STRIDED_SLICE_S8_H
#define TA_STRIDED_SLICE_S8_H

#include <stdint.h>

#include "ta_status.h"
#include "ta_strided_copy_s8.h"

typedef ta_strided_view_t ta_strided_slice_s8_params_t;

ta_status_t ta_strided_slice_s8(const ta_strided_slice_s8_params_t *params, const int8_t *input, int8_t *output);

#endif /* TA_STRIDED_SLICE_S8_H */
