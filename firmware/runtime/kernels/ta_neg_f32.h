/* NEG, float32: out = -in, as TFLite Micro's reference Negate (exact in IEEE arithmetic).
 *
 * Keras' LayerNormalization converts to DEQUANTIZE -> NEG -> QUANTIZE around the mean (TFLM has no
 * int8 NEG), so a full-int8 transformer still needs this one float op. */
#ifndef TA_NEG_F32_H
#define TA_NEG_F32_H

#include <stdint.h>

#include "ta_status.h"

ta_status_t ta_neg_f32(const float *input, float *output, int32_t size);

#endif /* TA_NEG_F32_H */
