/* MEAN (reduce over up to two axes), int8: bit-exact with TFLite Micro's reduce.cc for int8.
 *
 * Per output: (sum - zp_in * count) requantized with QuantizeMultiplier(s_in / s_out) folded with
 * 1/count (reference_ops::QuantizedMeanOrSum). The folding is a pure function of constants, so the
 * compiler does it and hands over the final multiplier/shift. The tflite-micro build we test against
 * takes this path even when input and output quantization are equal (checked by the tests: a plain
 * truncating integer mean differs there).
 * keep_dims only changes the output shape, not the data. The input is walked as "kept" dimensions
 * (the output, row-major) times "reduced" dimensions, each with its input element strides. */
#ifndef TA_MEAN_S8_H
#define TA_MEAN_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_status.h"

typedef struct {
    int32_t kept_ndim;                    /* 0..TA_MAX_DIMS (0: everything reduced, one output) */
    int32_t kept_dims[TA_MAX_DIMS];
    int32_t kept_strides[TA_MAX_DIMS];    /* input element strides of the kept dims */
    int32_t reduced_ndim;                 /* 1..TA_MAX_DIMS */
    int32_t reduced_dims[TA_MAX_DIMS];
    int32_t reduced_strides[TA_MAX_DIMS]; /* input element strides of the reduced dims */
    int32_t input_zero_point;
    int32_t output_zero_point;
    int32_t multiplier;                   /* requantization already divided by the count */
    int32_t shift;
} ta_mean_s8_params_t;

ta_status_t ta_mean_s8(const ta_mean_s8_params_t *params, const int8_t *input, int8_t *output);

#endif /* TA_MEAN_S8_H */
