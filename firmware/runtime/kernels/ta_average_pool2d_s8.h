/* AVERAGE_POOL_2D, int8: bit-exact with TFLite Micro's reference_integer_ops::AveragePool (padding
 * cells are left out of the count; the mean rounds half away from zero). Input and output share
 * quantization, as TFLite requires. */
#ifndef TA_AVERAGE_POOL2D_S8_H
#define TA_AVERAGE_POOL2D_S8_H

#include <stdint.h>

#include "ta_pool2d_s8.h"
#include "ta_status.h"

ta_status_t ta_average_pool2d_s8(const ta_pool2d_s8_params_t *params, const int8_t *input, int8_t *output);

#endif /* TA_AVERAGE_POOL2D_S8_H */
