/* SUB, int8, with broadcasting: bit-exact with TFLite Micro's reference integer Sub.
 *
 * TFLM prepares SUB exactly as ADD (left_shift 20, SmallerThanOneExp multipliers), so the parameter
 * block is ADD's. */
#ifndef TA_SUB_S8_H
#define TA_SUB_S8_H

#include <stdint.h>

#include "ta_add_s8.h"
#include "ta_broadcast.h"
#include "ta_status.h"

typedef ta_add_s8_params_t ta_sub_s8_params_t;

/* out = in1 - in2 over the output shape in `shape`. */
ta_status_t ta_sub_s8(const ta_sub_s8_params_t *params, const ta_broadcast_t *shape, const int8_t *in1,
                      const int8_t *in2, int8_t *out);

#endif /* TA_SUB_S8_H */
