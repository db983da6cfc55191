/* Raw-tensor runner: N model inputs from a file through the compiled model, N outputs to a file.
 *
 *   ta_tensor INPUT.bin OUTPUT.bin
 *
 * INPUT.bin holds N input tensors back to back, TA_MODEL_INPUT_BYTES each (the model's element type,
 * little-endian); OUTPUT.bin receives N outputs of TA_MODEL_OUTPUT_BYTES. The model state (variable
 * tensors) carries over from one input to the next, as in one interpreter invoked N times.
 * Only stdio, so the same program runs on the host and under QEMU semihosting. Probes around each
 * invocation let instruction counters isolate the model.
 *
 * Console: "TA_TENSOR_DONE count=N" on success; "TA_ERROR ..." and exit 1 (I/O) or 2 (model). */
#include <stdio.h>

#include "model.h"
#include "ta_probe.h"
#include "ta_status.h"

static int fail_io(const char *what, const char *path)
{
    printf("TA_ERROR %s %s\n", what, path);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        printf("TA_ERROR usage: ta_tensor INPUT.bin OUTPUT.bin\n");
        return 1;
    }
    ta_status_t status = ta_model_init();
    if (status != TA_OK) {
        printf("TA_ERROR ta_model_init %s\n", ta_status_name(status));
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (in == NULL) {
        return fail_io("cannot open", argv[1]);
    }
    FILE *out = fopen(argv[2], "wb");
    if (out == NULL) {
        fclose(in);
        return fail_io("cannot create", argv[2]);
    }
    unsigned long count = 0;
    int rc = 0;
    for (;;) {
        const size_t got = fread(ta_model_input(), 1, TA_MODEL_INPUT_BYTES, in);
        if (got == 0) {
            break;
        }
        if (got != (size_t)TA_MODEL_INPUT_BYTES) {
            printf("TA_ERROR input %lu is truncated: %lu of %lu bytes\n", count, (unsigned long)got,
                   (unsigned long)TA_MODEL_INPUT_BYTES);
            rc = 1;
            break;
        }
        ta_probe_model_begin();
        status = ta_model_invoke();
        ta_probe_model_end();
        if (status != TA_OK) {
            printf("TA_ERROR ta_model_invoke input %lu %s\n", count, ta_status_name(status));
            rc = 2;
            break;
        }
        if (fwrite(ta_model_output(), 1, TA_MODEL_OUTPUT_BYTES, out) != (size_t)TA_MODEL_OUTPUT_BYTES) {
            rc = fail_io("cannot write", argv[2]);
            break;
        }
        ++count;
    }
    if (fclose(out) != 0 && rc == 0) {
        rc = fail_io("cannot write", argv[2]);
    }
    fclose(in);
    if (rc == 0) {
        printf("TA_TENSOR_DONE count=%lu\n", count);
    }
    return rc;
}
