#include "ta_batch_matmul_s8.h"

#include "ta_quant.h"

static void matmul_one_batch(const ta_batch_matmul_s8_params_t *p, const int8_t *lhs, const int8_t *rhs,
                             int8_t *out)
{
    int32_t i;
    for (i = 0; i < p->rows; ++i) {
        int32_t j;
        for (j = 0; j < p->cols; ++j) {
            const int8_t *l = lhs + i * p->lhs_row_stride;
            const int8_t *r = rhs + j * p->rhs_col_stride;
            int32_t acc = 0;
            int32_t k;
            for (k = 0; k < p->depth; ++k) {
                acc += ((int32_t)l[k * p->lhs_depth_stride] + p->lhs_offset) *
                       ((int32_t)r[k * p->rhs_depth_stride] + p->rhs_offset);
            }
            acc = ta_multiply_by_quantized_multiplier(acc, p->output_multiplier, p->output_shift) +
                  p->output_offset;
            out[i * p->cols + j] = (int8_t)ta_clamp_i32(acc, p->activation_min, p->activation_max);
        }
    }
}

ta_status_t ta_batch_matmul_s8(const ta_batch_matmul_s8_params_t *params, const int8_t *lhs, const int8_t *rhs,
                               int8_t *output)
{
    int32_t index[TA_BATCH_MATMUL_MAX_BATCH_DIMS] = {0};
    int32_t lhs_off = 0;
    int32_t rhs_off = 0;
    int32_t batches = 1;
    int32_t b;
    int32_t d;
    int32_t out_step;
    TA_PRECONDITION(params != 0 && lhs != 0 && rhs != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(params->batch_ndim >= 0 && params->batch_ndim <= TA_BATCH_MATMUL_MAX_BATCH_DIMS,
                    TA_ERR_SHAPE);
    TA_PRECONDITION(params->rows >= 1 && params->cols >= 1 && params->depth >= 1, TA_ERR_SHAPE);
    TA_PRECONDITION(params->output_shift >= -31 && params->output_shift <= 30 &&
                        params->activation_min <= params->activation_max && params->activation_min >= -128 &&
                        params->activation_max <= 127,
                    TA_ERR_PARAM);
    for (d = 0; d < params->batch_ndim; ++d) {
        TA_PRECONDITION(params->batch_dims[d] >= 1, TA_ERR_SHAPE);
        batches *= params->batch_dims[d];
    }
    out_step = params->rows * params->cols;
    for (b = 0; b < batches; ++b) {
        matmul_one_batch(params, lhs + lhs_off, rhs + rhs_off, output + b * out_step);
        for (d = params->batch_ndim - 1; d >= 0; --d) {
            index[d] += 1;
            lhs_off += params->lhs_batch_strides[d];
            rhs_off += params->rhs_batch_strides[d];
            if (index[d] < params->batch_dims[d]) {
                break;
            }
            lhs_off -= params->lhs_batch_strides[d] * params->batch_dims[d];
            rhs_off -= params->rhs_batch_strides[d] * params->batch_dims[d];
            index[d] = 0;
        }
    }
    return TA_OK;
}
