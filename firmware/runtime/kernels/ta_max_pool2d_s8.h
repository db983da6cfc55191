/* MAX_POOL_2D, int8: bit-exact with TFLite Micro's reference_integer_ops::MaxPool. */
#ifndef TA_MAX_POOL2D_S8_H
#define TA_MAX_POOL2D_S8_H

#include <stdint.h>

#include "ta_pool2d_s8.h"
#include "ta_status.h"

ta_status_t ta_max_pool2d_s8(const ta_pool2d_s8_params_t *params, const int8_t *input, int8_t *output);

#endif /* TA_MAX_POOL2D_S8_H */
