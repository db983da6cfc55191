#include "ta_mean_s8.h"

#include "ta_quant.h"

static int32_t dims_product(int32_t ndim, const int32_t *dims)
{
    int32_t n = 1;
    int32_t d;
    for (d = 0; d < ndim; ++d) {
        if (dims[d] < 1) {
            return 0;
        }
        n *= dims[d];
    }
    return n;
}

/* Advances a row-major odometer over `dims`, keeping `offset` = sum(index[d] * strides[d]). */
static void odometer_next(int32_t ndim, const int32_t *dims, const int32_t *strides, int32_t *index,
                          int32_t *offset)
{
    int32_t d;
    for (d = ndim - 1; d >= 0; --d) {
        index[d] += 1;
        *offset += strides[d];
        if (index[d] < dims[d]) {
            return;
        }
        *offset -= strides[d] * dims[d];
        index[d] = 0;
    }
}

ta_status_t ta_mean_s8(const ta_mean_s8_params_t *params, const int8_t *input, int8_t *output)
{
    int32_t kept_index[TA_MAX_DIMS] = {0};
    int32_t kept_offset = 0;
    int32_t num_outputs;
    int32_t count;
    int32_t o;
    int32_t last;
    int32_t inner;
    int32_t step;
    TA_PRECONDITION(params != 0 && input != 0 && output != 0, TA_ERR_NULL);
    TA_PRECONDITION(params->kept_ndim >= 0 && params->kept_ndim <= TA_MAX_DIMS &&
                        params->reduced_ndim >= 1 && params->reduced_ndim <= TA_MAX_DIMS,
                    TA_ERR_SHAPE);
    TA_PRECONDITION(params->shift >= -31 && params->shift <= 30, TA_ERR_PARAM);
    num_outputs = dims_product(params->kept_ndim, params->kept_dims);
    count = dims_product(params->reduced_ndim, params->reduced_dims);
    TA_PRECONDITION(num_outputs > 0 && count > 0 && count <= (1 << 23), TA_ERR_SHAPE);

    last = params->reduced_ndim - 1;
    inner = params->reduced_dims[last];
    step = params->reduced_strides[last];
    for (o = 0; o < num_outputs; ++o) {
        int32_t red_index[TA_MAX_DIMS] = {0};
        int32_t red_offset = 0;
        int32_t sum = 0;
        int32_t k;
        int32_t raw;
        for (k = 0; k < count; k += inner) {
            const int8_t *row = input + kept_offset + red_offset;
            int32_t i;
            for (i = 0; i < inner; ++i) {
                sum += row[i * step];
            }
            /* the innermost reduced dim was walked above; advance the outer reduced dims */
            odometer_next(last, params->reduced_dims, params->reduced_strides, red_index, &red_offset);
        }
        raw = ta_multiply_by_quantized_multiplier(sum - params->input_zero_point * count, params->multiplier,
                                                  params->shift) +
              params->output_zero_point;
        output[o] = (int8_t)ta_clamp_i32(raw, -128, 127);
        odometer_next(params->kept_ndim, params->kept_dims, params->kept_strides, kept_index, &kept_offset);
    }
    return TA_OK;
}
