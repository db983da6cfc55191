/* SVDF, int8 input/output with int16 or int8 state and time weights: bit-exact with TFLite Micro's
 * EvalIntegerSvdfReference. The activation state is a variable tensor the caller keeps between
 * invocations (zero-point filled at init); scratch needs (batches*filters + batches*units) int32. */
#ifndef TA_SVDF_S8_H
#define TA_SVDF_S8_H

#include <stdint.h>

#include "ta_status.h"

typedef struct {
    int32_t batches;
    int32_t input_size;
    int32_t num_filters; /* rank * num_units */
    int32_t num_units;
    int32_t rank;
    int32_t memory_size;
    int32_t input_zero_point;
    int32_t state_zero_point;
    int32_t output_zero_point;
    int32_t scale_1_multiplier; /* input * weights_feature -> state */
    int32_t scale_1_shift;
    int32_t scale_2_multiplier; /* state * weights_time -> output */
    int32_t scale_2_shift;
} ta_svdf_s8_params_t;

/* int16 state and time weights. `bias` may be NULL; scratch is int32-aligned. */
ta_status_t ta_svdf_s8_s16state(const ta_svdf_s8_params_t *params, const int8_t *input,
                                const int8_t *weights_feature, const int16_t *weights_time,
                                const int32_t *bias, int16_t *state, int32_t *scratch, int8_t *output);

/* int8 state and time weights. */
ta_status_t ta_svdf_s8_s8state(const ta_svdf_s8_params_t *params, const int8_t *input,
                               const int8_t *weights_feature, const int8_t *weights_time,
                               const int32_t *bias, int8_t *state, int32_t *scratch, int8_t *output);

#endif /* TA_SVDF_S8_H */
