#include "ta_svdf_s8.h"

#include "ta_quant.h"

/* The state/time-weight element type is the only difference between the two variants. */
#define TA_DEFINE_SVDF(NAME, STATE_T, STATE_MIN, STATE_MAX)                                              \
    ta_status_t NAME(const ta_svdf_s8_params_t *p, const int8_t *input, const int8_t *weights_feature, \
                     const STATE_T *weights_time, const int32_t *bias, STATE_T *state, int32_t *scratch,  \
                     int8_t *output)                                                                     \
    {                                                                                                    \
        TA_PRECONDITION(p != 0 && input != 0 && weights_feature != 0 && weights_time != 0, TA_ERR_NULL); \
        TA_PRECONDITION(state != 0 && scratch != 0 && output != 0, TA_ERR_NULL);                         \
        TA_PRECONDITION(p->batches > 0 && p->input_size > 0 && p->memory_size > 0, TA_ERR_SHAPE);       \
        TA_PRECONDITION(p->rank > 0 && p->num_units > 0 && p->num_filters == p->rank * p->num_units,     \
                        TA_ERR_SHAPE);                                                                   \
        const int32_t n_state = p->batches * p->num_filters * p->memory_size;                            \
        int32_t *scratch_filters = scratch;                                /* [batches][filters] */     \
        int32_t *scratch_units = scratch + p->batches * p->num_filters;   /* [batches][units] */       \
        /* Shift the whole state left by one; each filter's newest slot is overwritten below. */        \
        for (int32_t i = 0; i + 1 < n_state; ++i) {                                                      \
            state[i] = state[i + 1];                                                                     \
        }                                                                                                \
        /* Feature matmul into the newest slot of each filter's memory. */                              \
        for (int32_t b = 0; b < p->batches; ++b) {                                                       \
            const int8_t *in_row = input + b * p->input_size;                                            \
            STATE_T *newest = state + b * p->num_filters * p->memory_size + (p->memory_size - 1);        \
            for (int32_t f = 0; f < p->num_filters; ++f) {                                               \
                const int8_t *w = weights_feature + f * p->input_size;                                   \
                int32_t dot = 0;                                                                         \
                for (int32_t c = 0; c < p->input_size; ++c) {                                            \
                    dot += (int32_t)w[c] * ((int32_t)in_row[c] - p->input_zero_point);                   \
                }                                                                                        \
                dot = ta_multiply_by_quantized_multiplier(dot, p->scale_1_multiplier, p->scale_1_shift); \
                /* As the tflite-micro build we test against: clamp, then add the state zero point and \
                 * narrow with wrap-around (newer TFLM sources add the zero point before the clamp). */ \
                dot = ta_clamp_i32(dot, (STATE_MIN), (STATE_MAX));                                       \
                newest[f * p->memory_size] = (STATE_T)(p->state_zero_point + dot);                       \
            }                                                                                            \
        }                                                                                                \
        /* Time: dot product of each filter's memory with its time weights. */                          \
        for (int32_t b = 0; b < p->batches; ++b) {                                                       \
            const STATE_T *s = state + b * p->memory_size * p->num_filters;                              \
            const STATE_T *wt = weights_time;                                                            \
            for (int32_t f = 0; f < p->num_filters; ++f) {                                               \
                int32_t acc = 0;                                                                         \
                for (int32_t j = 0; j < p->memory_size; ++j) {                                           \
                    /* int32 wrap-around on overflow, as TFLM's accumulator on every real target */    \
                    acc = ta_wrap_add(acc, (int32_t)*wt++ * ((int32_t)*s++ - p->state_zero_point));      \
                }                                                                                        \
                scratch_filters[b * p->num_filters + f] = acc;                                           \
            }                                                                                            \
        }                                                                                                \
        /* Bias, reduce over rank, rescale. */                                                          \
        for (int32_t b = 0; b < p->batches; ++b) {                                                       \
            for (int32_t u = 0; u < p->num_units; ++u) {                                                 \
                int32_t acc = bias != 0 ? bias[u] : 0;                                                   \
                for (int32_t r = 0; r < p->rank; ++r) {                                                  \
                    acc = ta_wrap_add(acc, scratch_filters[b * p->num_filters + u * p->rank + r]);      \
                }                                                                                        \
                scratch_units[b * p->num_units + u] = acc;                                               \
            }                                                                                            \
        }                                                                                                \
        for (int32_t i = 0; i < p->batches * p->num_units; ++i) {                                        \
            int32_t x = ta_multiply_by_quantized_multiplier(scratch_units[i], p->scale_2_multiplier,     \
                                                            p->scale_2_shift);                           \
            output[i] = (int8_t)ta_clamp_i32(x + p->output_zero_point, INT8_MIN, INT8_MAX);              \
        }                                                                                                \
        return TA_OK;                                                                                    \
    }

TA_DEFINE_SVDF(ta_svdf_s8_s16state, int16_t, INT16_MIN, INT16_MAX)
TA_DEFINE_SVDF(ta_svdf_s8_s8state, int8_t, INT8_MIN, INT8_MAX)
