/* FULLY_CONNECTED, int8 activations, int8 weights (per-tensor or per-channel), int32 bias: bit-exact
 * with TFLite Micro's reference_integer_ops::FullyConnected / FullyConnectedPerChannel.
 *
 * Weights are [output_depth][accum_depth]; input and output are [batches][...]. With per-tensor
 * weights the multiplier/shift arrays have one entry and the filter offset is applied (as TFLM does);
 * with per-channel weights they have output_depth entries and the filter offset is ignored. */
#ifndef TA_FULLY_CONNECTED_S8_H
#define TA_FULLY_CONNECTED_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t batches;
    int32_t accum_depth;
    int32_t output_depth;
    int32_t input_offset;  /* -input zero point */
    int32_t filter_offset; /* -filter zero point (per-tensor only) */
    int32_t output_offset; /* output zero point */
    int32_t activation_min, activation_max;
    int32_t per_channel;                /* 1: one multiplier per output channel */
    const int32_t *output_multiplier;   /* [per_channel ? output_depth : 1] */
    const int32_t *output_shift;
} ta_fully_connected_s8_params_t;

/* `bias` may be NULL. */
ta_status_t ta_fully_connected_s8(const ta_fully_connected_s8_params_t *params, const int8_t *input,
                                  const int8_t *filter, const int32_t *bias, int8_t *output);

#endif /* TA_FULLY_CONNECTED_S8_H */
