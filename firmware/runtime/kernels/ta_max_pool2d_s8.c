#include "ta_max_pool2d_s8.h"

static inline int32_t max_window(const int8_t *input, int32_t first, int32_t row_stride, int32_t col_stride,
                                 int32_t rows, int32_t cols)
{
    int32_t max = INT8_MIN; /* an empty window gives the lowest value, as in TFLM */
    for (int32_t y = 0; y < rows; ++y) {
        const int8_t *row = input + first + y * row_stride;
        for (int32_t x = 0; x < cols; ++x) {
            const int32_t v = row[x * col_stride];
            max = v > max ? v : max;
        }
    }
    return max;
}

ta_status_t ta_max_pool2d_s8(const ta_pool2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    return ta_pool2d_s8_walk(p, input, output, max_window, 0);
}
