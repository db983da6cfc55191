#include "ta_average_pool2d_s8.h"

static inline int32_t average_window(const int8_t *input, int32_t first, int32_t row_stride, int32_t col_stride,
                                     int32_t rows, int32_t cols)
{
    const int32_t count = rows * cols;
    int32_t acc = 0;
    for (int32_t y = 0; y < rows; ++y) {
        const int8_t *row = input + first + y * row_stride;
        for (int32_t x = 0; x < cols; ++x) {
            acc += row[x * col_stride];
        }
    }
    /* Rounds half away from zero; C division truncates toward zero, as TFLM's does. */
    return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

ta_status_t ta_average_pool2d_s8(const ta_pool2d_s8_params_t *p, const int8_t *input, int8_t *output)
{
    /* TFLM returns an error when a window holds no input cell. */
    return ta_pool2d_s8_walk(p, input, output, average_window, 1);
}
