/* MINIMUM, int8, with broadcasting: equal to TFLite Micro's MaximumMinimumBroadcastSlow for int8, which
 * compares raw int8 values (no requantization; the converter gives inputs and output one quantization). */
#ifndef TA_MINIMUM_S8_H
#define TA_MINIMUM_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_status.h"

ta_status_t ta_minimum_s8(const ta_broadcast_t *shape, const int8_t *in1, const int8_t *in2, int8_t *out);

#endif /* TA_MINIMUM_S8_H */
