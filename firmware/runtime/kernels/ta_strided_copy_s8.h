/* Dense int8 output gathered from a strided view of an input: the data movement shared by TRANSPOSE,
 * STRIDED_SLICE, SLICE and friends. The compiler turns each such op into (output dims, input element
 * stride per output dim, start offset); strides may be negative (reversed slices). */
#ifndef TA_STRIDED_COPY_S8_H
#define TA_STRIDED_COPY_S8_H

#include <stdint.h>

#include "ta_broadcast.h"
#include "ta_status.h"

typedef struct {
    int32_t ndim;                 /* 1..TA_MAX_DIMS */
    int32_t dims[TA_MAX_DIMS];    /* output dimensions, row-major */
    int32_t strides[TA_MAX_DIMS]; /* input element step per output index step */
    int32_t offset;               /* input element index of output element 0 */
} ta_strided_view_t;

/* output[i0..in] = input[offset + sum(ik * strides[k])]. The caller guarantees the view stays inside
 * the input (the compiler checks it). */
ta_status_t ta_copy_strided_s8(const ta_strided_view_t *view, const int8_t *input, int8_t *output);

#endif /* TA_STRIDED_COPY_S8_H */
