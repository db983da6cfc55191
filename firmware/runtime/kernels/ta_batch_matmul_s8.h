/* BATCH_MATMUL, int8 x int8 -> int8: equal to TFLite Micro's reference quantized BatchMatMul.
 *
 * out[b..., i, j] = requant(sum_k (lhs[b..., i, k] - zp_lhs) * (rhs[b..., k, j] - zp_rhs)).
 * adj_x / adj_y and broadcast batch dimensions are resolved by the compiler into element strides, so
 * no transposed scratch copy is needed. Integer sums are exact, so the summation order (TFLM sums
 * over a transposed copy) does not change the result. */
#ifndef TA_BATCH_MATMUL_S8_H
#define TA_BATCH_MATMUL_S8_H

#include <stdint.h>

#include "ta_status.h"

#define TA_BATCH_MATMUL_MAX_BATCH_DIMS 4

typedef struct {
    int32_t batch_ndim;                                     /* 0..4 */
    int32_t batch_dims[TA_BATCH_MATMUL_MAX_BATCH_DIMS];     /* output batch dims */
    int32_t lhs_batch_strides[TA_BATCH_MATMUL_MAX_BATCH_DIMS]; /* 0 where lhs is broadcast */
    int32_t rhs_batch_strides[TA_BATCH_MATMUL_MAX_BATCH_DIMS]; /* 0 where rhs is broadcast */
    int32_t rows;              /* output rows (lhs rows after adj_x) */
    int32_t cols;              /* output cols (rhs cols after adj_y) */
    int32_t depth;             /* accumulation depth */
    int32_t lhs_row_stride;    /* element step of lhs per output row */
    int32_t lhs_depth_stride;  /* element step of lhs per depth index */
    int32_t rhs_depth_stride;  /* element step of rhs per depth index */
    int32_t rhs_col_stride;    /* element step of rhs per output col */
    int32_t lhs_offset;        /* -lhs zero point */
    int32_t rhs_offset;        /* -rhs zero point */
    int32_t output_offset;     /* output zero point */
    int32_t output_multiplier; /* QuantizeMultiplier(s_lhs * s_rhs / s_out) */
    int32_t output_shift;
    int32_t activation_min;
    int32_t activation_max;
} ta_batch_matmul_s8_params_t;

ta_status_t ta_batch_matmul_s8(const ta_batch_matmul_s8_params_t *params, const int8_t *lhs, const int8_t *rhs,
                               int8_t *output);

#endif /* TA_BATCH_MATMUL_S8_H */
