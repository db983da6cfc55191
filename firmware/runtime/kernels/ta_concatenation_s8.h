/* CONCATENATION, int8: equal to TFLite Micro's reference Concatenation for int8 (a copy; TFLM does not
 * requantize int8 inputs, the converter gives them the output's scale and zero point).
 *
 * The tensors are viewed as [outer, axis * inner]: for each outer index, each input contributes one
 * contiguous block of copy_sizes[i] = axis_i * inner elements. */
#ifndef TA_CONCATENATION_S8_H
#define TA_CONCATENATION_S8_H

#include <stdint.h>

#include "ta_status.h"

ta_status_t ta_concatenation_s8(int32_t num_inputs, const int8_t *const *inputs, const int32_t *copy_sizes,
                                int32_t outer, int8_t *output);

#endif /* TA_CONCATENATION_S8_H */
