/* Shared parameter block of AVERAGE_POOL_2D and MAX_POOL_2D (int8, NHWC). */
#ifndef TA_POOL2D_S8_H
#define TA_POOL2D_S8_H

#include <stdint.h>

typedef struct {
    int32_t batches;
    int32_t input_h, input_w, channels;
    int32_t output_h, output_w;
    int32_t filter_h, filter_w;
    int32_t stride_h, stride_w;
    int32_t pad_h, pad_w;
    int32_t activation_min, activation_max;
} ta_pool2d_s8_params_t;

#endif /* TA_POOL2D_S8_H */
