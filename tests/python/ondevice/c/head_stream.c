/* Test harness: a stream of head operations from a file through firmware/ondevice (ta_head, ta_head_record),
 * the results and the final head to another file. Only stdio, so the same program runs on the host (with
 * ASan/UBSan) and under QEMU semihosting. The numpy mirror (tinyaudio.ondevice.head) replays the same
 * stream in tests/python/ondevice/test_head_agreement.py.
 *
 *   head_stream IN.bin OUT.bin
 *
 * IN.bin (little-endian): u32 classes, u32 dim, f32 input_scale, i32 input_zero_point, u32 has_bias,
 * i8 weights[classes*dim], f32 scales[classes], i32 bias[classes] (if has_bias), char labels[classes][16],
 * u8 model_sha256[32], u8 frontend_sha256[32], f32 hparams[6], u32 n_ops, then n_ops operations:
 *   1 update:        u32 label, i8 embedding[dim]
 *   2 classify:      i8 embedding[dim], i8 model_scores[classes]
 *   3 imprint begin: char label[16]
 *   4 imprint add:   i8 embedding[dim]
 *   5 imprint end
 *   6 reset
 *   7 hparams:       f32 hparams[6]
 *   8 record:        u32 seq, char device_id[16] -> appends the record's bytes to RECORD.bin (argv[3])
 *   9 observe:       i8 embedding[dim]
 * OUT.bin: i32 result per operation (status * 16 + outcome / label / new class), then u32 classes,
 * u32 learned, f32 w[classes*dim], f32 b[classes], u32 counts[classes]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_head.h"
#include "ta_head_record.h"

static ta_head_t head;
static ta_head_factory_t factory;
static int8_t weights[TA_HEAD_MAX_CLASSES * TA_HEAD_MAX_DIM];
static float scales[TA_HEAD_MAX_CLASSES];
static int32_t bias[TA_HEAD_MAX_CLASSES];
static char label_text[TA_HEAD_MAX_CLASSES][TA_HEAD_LABEL_BYTES];
static const char *label_ptrs[TA_HEAD_MAX_CLASSES];
static int8_t embedding[TA_HEAD_MAX_DIM];
static int8_t model_scores[TA_HEAD_MAX_CLASSES];
static FILE *in;
static FILE *out;
static FILE *rec;

static void die(const char *what)
{
    printf("TA_ERROR %s\n", what);
    exit(1);
}

static void get(void *dst, size_t n)
{
    if (n != 0u && fread(dst, 1, n, in) != n) {
        die("short input");
    }
}

static uint32_t get_u32(void)
{
    uint32_t v;
    get(&v, sizeof v);
    return v;
}

static void put(const void *src, size_t n)
{
    if (n != 0u && fwrite(src, 1, n, out) != n) {
        die("cannot write output");
    }
}

static void get_hparams(ta_head_hparams_t *hp)
{
    float v[6];
    get(v, sizeof v);
    hp->learning_rate = v[0];
    hp->l2 = v[1];
    hp->clip_norm = v[2];
    hp->momentum = v[3];
    hp->reject_confidence = v[4];
    hp->imprint_margin = v[5];
}

static ta_status_t file_write(void *ctx, uint32_t offset, const void *src, size_t count)
{
    FILE *f = ctx;
    if (fseek(f, (long)offset, SEEK_SET) != 0 || fwrite(src, 1, count, f) != count) {
        return TA_ERR_IO;
    }
    return TA_OK;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        die("usage: head_stream IN.bin OUT.bin [RECORD.bin]");
    }
    in = fopen(argv[1], "rb");
    out = fopen(argv[2], "wb");
    if (in == NULL || out == NULL) {
        die("cannot open files");
    }
    factory.classes = get_u32();
    factory.dim = get_u32();
    if (factory.classes > TA_HEAD_MAX_CLASSES || factory.dim > TA_HEAD_MAX_DIM) {
        die("factory too large for this build");
    }
    get(&factory.input_scale, 4u);
    get(&factory.input_zero_point, 4u);
    uint32_t has_bias = get_u32();
    get(weights, factory.classes * factory.dim);
    get(scales, 4u * factory.classes);
    if (has_bias) {
        get(bias, 4u * factory.classes);
    }
    get(label_text, TA_HEAD_LABEL_BYTES * factory.classes);
    for (uint32_t k = 0; k < factory.classes; ++k) {
        label_text[k][TA_HEAD_LABEL_BYTES - 1u] = '\0';
        label_ptrs[k] = label_text[k];
    }
    ta_head_identity_t identity;
    get(identity.model_sha256, 32u);
    get(identity.frontend_sha256, 32u);
    factory.weights = weights;
    factory.weight_scales = scales;
    factory.bias = has_bias ? bias : NULL;
    factory.labels = label_ptrs;
    ta_head_hparams_t hp;
    get_hparams(&hp);
    int32_t st = (int32_t)ta_head_init(&head, &factory, &hp);
    put(&st, 4u);
    if (st != TA_OK) {
        fclose(out);
        return 0;
    }
    uint32_t n_ops = get_u32();
    uint32_t new_class = 0u;
    for (uint32_t i = 0; i < n_ops; ++i) {
        uint32_t op = get_u32();
        int32_t result = 0;
        switch (op) {
        case 1: {
            uint32_t label = get_u32();
            get(embedding, head.dim);
            ta_head_outcome_t outcome = TA_HEAD_UPDATED;
            ta_status_t s = ta_head_update(&head, embedding, label, &outcome);
            result = (int32_t)s * 16 + (int32_t)outcome;
            break;
        }
        case 2: {
            get(embedding, head.dim);
            get(model_scores, factory.classes);
            int32_t label = -1;
            ta_status_t s = ta_head_classify(&head, embedding, model_scores, factory.classes, &label);
            result = s == TA_OK ? label : -16 * (int32_t)s;
            break;
        }
        case 3: {
            char text[TA_HEAD_LABEL_BYTES + 1u];
            get(text, TA_HEAD_LABEL_BYTES);
            text[TA_HEAD_LABEL_BYTES] = '\0';
            result = (int32_t)ta_head_imprint_begin(&head, text) * 16;
            break;
        }
        case 4:
            get(embedding, head.dim);
            result = (int32_t)ta_head_imprint_add(&head, embedding) * 16;
            break;
        case 5: {
            ta_status_t s = ta_head_imprint_end(&head, &new_class);
            result = s == TA_OK ? (int32_t)new_class : -16 * (int32_t)s;
            break;
        }
        case 6:
            result = (int32_t)ta_head_reset(&head) * 16;
            break;
        case 7: {
            ta_head_hparams_t h;
            get_hparams(&h);
            result = (int32_t)ta_head_set_hparams(&head, &h) * 16;
            break;
        }
        case 9:
            get(embedding, head.dim);
            result = (int32_t)ta_head_observe(&head, embedding) * 16;
            break;
        case 8: {
            uint32_t seq = get_u32();
            uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES];
            get(device_id, sizeof device_id);
            if (argc < 4) {
                die("record operation without RECORD.bin");
            }
            rec = fopen(argv[3], "wb");
            if (rec == NULL) {
                die("cannot open RECORD.bin");
            }
            result = (int32_t)ta_head_record_write(&head, &identity, seq, device_id, file_write, rec) * 16;
            fclose(rec);
            break;
        }
        default:
            die("unknown operation");
        }
        put(&result, 4u);
    }
    uint32_t learned = head.learned;
    put(&head.classes, 4u);
    put(&learned, 4u);
    put(head.w, 4u * head.classes * head.dim);
    put(head.b, 4u * head.classes);
    put(head.counts, 4u * head.classes);
    fclose(out);
    fclose(in);
    printf("TA_HEAD_STREAM_DONE ops=%u updates=%u rejected=%u\n", (unsigned)n_ops, (unsigned)head.updates,
           (unsigned)head.rejected);
    return 0;
}
