/* Test harness for the int8 kernels of firmware/runtime/kernels (tests only).
 *
 * Usage: harness OP < cases.bin > results.bin
 * Input: a stream of little-endian int32 records:
 *   n_out, n_params, params[n_params], n_arrays, { len, values[len] } * n_arrays
 * (int8 tensors travel as one int32 per element). Output per record: status, n_out, values[n_out].
 * Parameter structs of these kernels are int32-only, so params are copied into them verbatim. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_abs_s8.h"
#include "ta_add_s8.h"
#include "ta_hard_swish_s8.h"
#include "ta_leaky_relu_s8.h"
#include "ta_maximum_s8.h"
#include "ta_minimum_s8.h"
#include "ta_relu_s8.h"
#include "ta_batch_matmul_s8.h"
#include "ta_concatenation_s8.h"
#include "ta_logistic_s8.h"
#include "ta_mean_s8.h"
#include "ta_mul_s8.h"
#include "ta_rsqrt_s8.h"
#include "ta_squared_difference_s8.h"
#include "ta_strided_slice_s8.h"
#include "ta_sub_s8.h"
#include "ta_tanh_s8.h"
#include "ta_transpose_s8.h"

#define MAX_ARRAYS 16

static int read_i32(int32_t *v)
{
    return fread(v, sizeof(*v), 1, stdin) == 1;
}

static void write_i32(int32_t v)
{
    fwrite(&v, sizeof(v), 1, stdout);
}

static int fill(void *dst, size_t size, const int32_t *params, int32_t n_params)
{
    if ((size_t)n_params * sizeof(int32_t) != size) {
        fprintf(stderr, "harness: %d params for a %u-byte struct\n", (int)n_params, (unsigned)size);
        return 0;
    }
    memcpy(dst, params, size);
    return 1;
}

static ta_status_t run(const char *op, const int32_t *params, int32_t n_params, int8_t **arrays,
                       const int32_t *lens, int32_t n_arrays, int8_t *out)
{
    if (strcmp(op, "add") == 0 || strcmp(op, "sub") == 0) {
        ta_add_s8_params_t p;
        ta_broadcast_t b;
        if (n_arrays != 2 || !fill(&p, sizeof(p), params, 12) || !fill(&b, sizeof(b), params + 12, n_params - 12)) {
            return TA_ERR_PARAM;
        }
        return op[0] == 'a' ? ta_add_s8(&p, &b, arrays[0], arrays[1], out) : ta_sub_s8(&p, &b, arrays[0], arrays[1], out);
    }
    if (strcmp(op, "mul") == 0) {
        ta_mul_s8_params_t p;
        ta_broadcast_t b;
        if (n_arrays != 2 || !fill(&p, sizeof(p), params, 7) || !fill(&b, sizeof(b), params + 7, n_params - 7)) {
            return TA_ERR_PARAM;
        }
        return ta_mul_s8(&p, &b, arrays[0], arrays[1], out);
    }
    if (strcmp(op, "squared_difference") == 0) {
        ta_squared_difference_s8_params_t p;
        ta_broadcast_t b;
        if (n_arrays != 2 || !fill(&p, sizeof(p), params, 10) || !fill(&b, sizeof(b), params + 10, n_params - 10)) {
            return TA_ERR_PARAM;
        }
        return ta_squared_difference_s8(&p, &b, arrays[0], arrays[1], out);
    }
    if (strcmp(op, "mean") == 0) {
        ta_mean_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_mean_s8(&p, arrays[0], out);
    }
    if (strcmp(op, "rsqrt") == 0) {
        ta_rsqrt_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_rsqrt_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "logistic") == 0) {
        ta_logistic_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_logistic_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "tanh") == 0) {
        ta_tanh_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_tanh_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "relu") == 0) {
        ta_relu_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_relu_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "relu6") == 0) {
        ta_relu6_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_relu6_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "leaky_relu") == 0) {
        ta_leaky_relu_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_leaky_relu_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "hard_swish") == 0) {
        ta_hard_swish_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_hard_swish_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "abs") == 0) {
        ta_abs_s8_params_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_abs_s8(&p, arrays[0], out, lens[0]);
    }
    if (strcmp(op, "maximum") == 0 || strcmp(op, "minimum") == 0) {
        ta_broadcast_t b;
        if (n_arrays != 2 || !fill(&b, sizeof(b), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return op[1] == 'a' ? ta_maximum_s8(&b, arrays[0], arrays[1], out) : ta_minimum_s8(&b, arrays[0], arrays[1], out);
    }
    if (strcmp(op, "transpose") == 0 || strcmp(op, "strided_slice") == 0) {
        ta_strided_view_t p;
        if (n_arrays != 1 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return op[0] == 't' ? ta_transpose_s8(&p, arrays[0], out) : ta_strided_slice_s8(&p, arrays[0], out);
    }
    if (strcmp(op, "batch_matmul") == 0) {
        ta_batch_matmul_s8_params_t p;
        if (n_arrays != 2 || !fill(&p, sizeof(p), params, n_params)) {
            return TA_ERR_PARAM;
        }
        return ta_batch_matmul_s8(&p, arrays[0], arrays[1], out);
    }
    if (strcmp(op, "concatenation") == 0) {
        /* params: outer, copy_sizes[n_arrays] */
        if (n_params != 1 + n_arrays) {
            return TA_ERR_PARAM;
        }
        return ta_concatenation_s8(n_arrays, (const int8_t *const *)arrays, params + 1, params[0], out);
    }
    fprintf(stderr, "harness: unknown op %s\n", op);
    exit(3);
}

int main(int argc, char **argv)
{
    int32_t n_out;
    if (argc != 2) {
        fprintf(stderr, "usage: harness OP < cases > results\n");
        return 2;
    }
    while (read_i32(&n_out)) {
        int32_t n_params;
        int32_t n_arrays;
        int32_t *params;
        int8_t *arrays[MAX_ARRAYS];
        int32_t lens[MAX_ARRAYS];
        int8_t *out;
        int32_t i;
        int32_t a;
        ta_status_t st;
        if (!read_i32(&n_params) || n_params < 0) {
            return 4;
        }
        params = (int32_t *)malloc(sizeof(int32_t) * (size_t)(n_params + 1));
        for (i = 0; i < n_params; ++i) {
            if (!read_i32(&params[i])) {
                return 4;
            }
        }
        if (!read_i32(&n_arrays) || n_arrays < 0 || n_arrays > MAX_ARRAYS) {
            return 4;
        }
        for (a = 0; a < n_arrays; ++a) {
            if (!read_i32(&lens[a]) || lens[a] < 0) {
                return 4;
            }
            /* Exact-size allocations so ASan catches any out-of-bounds read. */
            arrays[a] = (int8_t *)malloc((size_t)lens[a] + (lens[a] == 0));
            for (i = 0; i < lens[a]; ++i) {
                int32_t v;
                if (!read_i32(&v)) {
                    return 4;
                }
                arrays[a][i] = (int8_t)v;
            }
        }
        out = (int8_t *)malloc((size_t)n_out + (n_out == 0));
        memset(out, 0x5a, (size_t)n_out);
        st = run(argv[1], params, n_params, arrays, lens, n_arrays, out);
        write_i32((int32_t)st);
        write_i32(n_out);
        for (i = 0; i < n_out; ++i) {
            write_i32(out[i]);
        }
        for (a = 0; a < n_arrays; ++a) {
            free(arrays[a]);
        }
        free(out);
        free(params);
    }
    return 0;
}
