/* The firmware in "adapt" mode: on-device learning on the host and QEMU platforms.
 *
 *   ta_adapt COMMANDS.f32 RESULTS.txt STORAGE.bin
 *
 * At boot the head (firmware/ondevice) starts as the compiled model's classifier and loads the newest
 * valid record of this model from storage (two A/B slots in STORAGE.bin, a file standing for flash).
 * Then commands arrive through the platform's sample source (COMMANDS.f32, float32 like PCM: a device
 * would get them from a button, a confirmed detection or a gateway). Each command is a header of
 * TA_ADAPT_HEADER float32 values — [0] opcode, [1] argument, [2..7] parameters, [8..23] a label as
 * character codes — followed by the clips it needs (ta_app_clip_samples() samples each):
 *
 *   1 TRAIN    arg = label index; one clip: frontend -> model -> embedding -> one head update
 *   2 EVAL     one clip: classified by the head (the int8 path while it has not learned); a result line
 *   3 IMPRINT  arg = K, label = the new class's name; K clips: a new class by weight imprinting
 *   4 SAVE     arg = power cut after that many storage units, or -1: the head to the older slot
 *   5 RESET    the factory head (storage untouched until the next SAVE)
 *   6 BOOT     reload from storage, as after a reboot
 *   7 CONFIG   params = learning rate, L2, clip norm, momentum, reject confidence, imprint margin;
 *              label = device id
 *   8 EMBED    one clip: a result line with the int8 embedding instead of the scores
 *   9 ERASE    both slots erased
 *  10 LISTEN   one clip, no label: heard by the device (the running mean imprinting centres on), no result
 *
 * TRAIN and LISTEN clips are "heard" (ta_head_observe); EVAL and EMBED clips are not, so evaluation never
 * changes the head.
 *
 * Result lines (RESULTS.txt, ta_result_format.h): "<n> <label> <model int8 scores...>" per EVAL,
 * "<n> <label> <embedding...>" per EMBED, n counting both. Console lines (parsed by
 * python/tinyaudio/ondevice/adapt.py): "TA_HEAD boot ...", "TA_HEAD refused slot=X reason=...",
 * "TA_HEAD saved slot=X seq=N bytes=N", "TA_HEAD ram_bytes=N record_bytes=N slot_bytes=N max_classes=N",
 * "TA_ADAPT done ...", "TA_STACK_HWM bytes=N"; "TA_ERROR ..." with exit 1 (platform) or 2 (command/core).
 * A power cut exits with TA_STORAGE_FILE_POWER_CUT_EXIT (75). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ta_app.h"
#include "ta_head.h"
#include "ta_head_probe.h"
#include "ta_head_record.h"
#include "ta_head_store.h"
#include "ta_platform.h"
#include "ta_result_format.h"
#include "ta_storage_file.h"

#if !defined(TA_MODEL_HAS_HEAD) || !TA_MODEL_HAS_HEAD
#error "adapt mode needs a model compiled with --embedding auto (the classifier's input) and a frontend"
#endif
#if TA_MODEL_EMBEDDING_BYTES != TA_MODEL_HEAD_DIM
#error "the embedding must be the classifier's input"
#endif

#define TA_ADAPT_HEADER 24u
#define TA_ADAPT_LABEL_AT 8u

enum {
    OP_TRAIN = 1,
    OP_EVAL = 2,
    OP_IMPRINT = 3,
    OP_SAVE = 4,
    OP_RESET = 5,
    OP_BOOT = 6,
    OP_CONFIG = 7,
    OP_EMBED = 8,
    OP_ERASE = 9,
    OP_LISTEN = 10
};

static ta_app_t ta_adapt_app;
static ta_head_t ta_adapt_head; /* named for the size report: the head's RAM */
static ta_head_store_t ta_adapt_store;
static ta_head_factory_t ta_adapt_factory;
static ta_head_identity_t ta_adapt_identity;
static uint8_t ta_adapt_device_id[TA_HEAD_DEVICE_ID_BYTES] = "device";
static float ta_adapt_hop[TA_APP_MAX_HOP];
static float ta_adapt_clip[TA_APP_MAX_CLIP_SAMPLES > 0 ? TA_APP_MAX_CLIP_SAMPLES : 1];
static float ta_adapt_header[TA_ADAPT_HEADER];
static int8_t ta_adapt_embedding[TA_MODEL_HEAD_DIM];
static int8_t ta_adapt_scores[TA_MODEL_OUTPUT_BYTES];
static uint32_t ta_adapt_results;

/* "<prefix><value>" appended to line at *len. */
static void put_text(char *line, size_t *len, size_t cap, const char *text)
{
    size_t n = strlen(text);
    if (*len + n + 1u > cap) {
        n = cap - *len - 1u;
    }
    memcpy(line + *len, text, n);
    *len += n;
    line[*len] = '\0';
}

static void put_int(char *line, size_t *len, size_t cap, int32_t value)
{
    char number[12];
    (void)ta_format_int(number, value);
    put_text(line, len, cap, number);
}

static void log_kv(const char *prefix, const char *k1, int32_t v1, const char *k2, int32_t v2)
{
    char line[160];
    size_t len = 0;
    line[0] = '\0';
    put_text(line, &len, sizeof line, prefix);
    if (k1 != NULL) {
        put_text(line, &len, sizeof line, k1);
        put_int(line, &len, sizeof line, v1);
    }
    if (k2 != NULL) {
        put_text(line, &len, sizeof line, k2);
        put_int(line, &len, sizeof line, v2);
    }
    ta_platform_log(line);
}

static int fail(const char *what, int32_t code)
{
    log_kv("TA_ERROR ", what, code, NULL, 0);
    ta_platform_close();
    return 2;
}

static const char slot_names[2] = {'A', 'B'};

static void log_boot(void)
{
    char line[200];
    for (int32_t s = 0; s < 2; ++s) {
        ta_head_record_check_t c = ta_adapt_store.check[s];
        if (c == TA_HEAD_RECORD_WRONG_MODEL || c == TA_HEAD_RECORD_WRONG_FRONTEND || c == TA_HEAD_RECORD_WRONG_SHAPE ||
            c == TA_HEAD_RECORD_BAD_CRC || c == TA_HEAD_RECORD_BAD_LENGTH || c == TA_HEAD_RECORD_BAD_VERSION) {
            size_t len = 0;
            line[0] = '\0';
            put_text(line, &len, sizeof line, "TA_HEAD refused slot=");
            char name[2] = {slot_names[s], '\0'};
            put_text(line, &len, sizeof line, name);
            put_text(line, &len, sizeof line, " reason=");
            put_text(line, &len, sizeof line, ta_head_record_check_name(c));
            ta_platform_log(line);
        }
    }
    if (ta_adapt_store.active == TA_HEAD_STORE_NONE) {
        log_kv("TA_HEAD boot source=factory", " classes=", (int32_t)ta_adapt_head.classes, NULL, 0);
    } else {
        size_t len = 0;
        line[0] = '\0';
        put_text(line, &len, sizeof line, "TA_HEAD boot source=slot-");
        char name[2] = {slot_names[ta_adapt_store.active], '\0'};
        put_text(line, &len, sizeof line, name);
        put_text(line, &len, sizeof line, " seq=");
        put_int(line, &len, sizeof line, (int32_t)ta_adapt_store.seq);
        put_text(line, &len, sizeof line, " classes=");
        put_int(line, &len, sizeof line, (int32_t)ta_adapt_head.classes);
        ta_platform_log(line);
    }
}

static ta_status_t boot(void)
{
    ta_head_hparams_t hp = ta_adapt_head.hp;
    ta_status_t st = ta_head_init(&ta_adapt_head, &ta_adapt_factory, &hp);
    if (st == TA_OK) {
        st = ta_head_store_boot(&ta_adapt_store, &ta_adapt_head, &ta_adapt_identity, ta_adapt_device_id);
    }
    if (st == TA_OK) {
        log_boot();
    }
    return st;
}

/* Reads one clip and runs it through frontend and model; the embedding and scores are copied out. */
static ta_status_t run_clip(void)
{
    const uint32_t clip = ta_app_clip_samples();
    const uint32_t hop = ta_app_hop_samples(&ta_adapt_app);
    ta_app_result_t result;
    ta_status_t st;
    if (hop > TA_APP_MAX_HOP) {
        return TA_ERR_CAPACITY;
    }
    if (ta_app_clip_normalizes()) {
        if (clip > TA_APP_MAX_CLIP_SAMPLES || ta_platform_read_pcm(ta_adapt_clip, clip) != TA_PLATFORM_OK) {
            return TA_ERR_IO;
        }
        st = ta_app_begin_clip(&ta_adapt_app, ta_app_clip_gain(ta_adapt_clip, clip));
        for (uint32_t pos = 0; st == TA_OK && pos < clip; pos += hop) {
            uint32_t n = clip - pos < hop ? clip - pos : hop;
            memcpy(ta_adapt_hop, &ta_adapt_clip[pos], n * sizeof(float));
            memset(&ta_adapt_hop[n], 0, (hop - n) * sizeof(float));
            st = ta_app_push_hop(&ta_adapt_app, ta_adapt_hop, &result);
        }
    } else {
        st = ta_app_begin_clip(&ta_adapt_app, 1.0f);
        for (uint32_t pos = 0; st == TA_OK && pos < clip; pos += hop) {
            uint32_t n = clip - pos < hop ? clip - pos : hop;
            if (ta_platform_read_pcm(ta_adapt_hop, n) != TA_PLATFORM_OK) {
                return TA_ERR_IO;
            }
            memset(&ta_adapt_hop[n], 0, (hop - n) * sizeof(float));
            st = ta_app_push_hop(&ta_adapt_app, ta_adapt_hop, &result);
        }
    }
    if (st == TA_OK) {
        st = ta_app_end_clip(&ta_adapt_app, &result);
    }
    if (st == TA_OK) {
        memcpy(ta_adapt_embedding, ta_model_embedding(), sizeof ta_adapt_embedding);
        memcpy(ta_adapt_scores, result.scores, sizeof ta_adapt_scores);
    }
    return st;
}

/* The label of the header as a C string (label_out: TA_HEAD_LABEL_BYTES). */
static void header_label(char *label_out)
{
    memset(label_out, 0, TA_HEAD_LABEL_BYTES);
    for (uint32_t i = 0; i + 1u < TA_HEAD_LABEL_BYTES; ++i) {
        float c = ta_adapt_header[TA_ADAPT_LABEL_AT + i];
        if (!(c >= 1.0f && c < 127.0f)) {
            break;
        }
        label_out[i] = (char)(int32_t)c;
    }
}

static int32_t header_int(uint32_t at)
{
    float v = ta_adapt_header[at];
    if (!(v > -16777216.0f && v < 16777216.0f)) {
        return -1;
    }
    return (int32_t)v;
}

int main(int argc, char **argv)
{
    if (ta_platform_open(argc, argv) != TA_PLATFORM_OK) {
        return 1;
    }
    if (argc < 4 || ta_storage_file_attach(argv[3]) != TA_PLATFORM_OK) {
        ta_platform_log("TA_ERROR usage: ta_adapt COMMANDS.f32 RESULTS.txt STORAGE.bin (a storage file of "
                        "TA_PLATFORM_STORAGE_BYTES or none)");
        ta_platform_close();
        return 1;
    }
    ta_status_t st = ta_app_init(&ta_adapt_app);
    if (st != TA_OK) {
        return fail("ta_app_init failed with status ", (int32_t)st);
    }
    if (TA_MODEL_OUTPUT_BYTES != TA_MODEL_HEAD_CLASSES) {
        return fail("model output size differs from the head's classes: ", (int32_t)TA_MODEL_OUTPUT_BYTES);
    }
    ta_adapt_factory.classes = TA_MODEL_HEAD_CLASSES;
    ta_adapt_factory.dim = TA_MODEL_HEAD_DIM;
    ta_adapt_factory.input_scale = TA_MODEL_HEAD_INPUT_SCALE;
    ta_adapt_factory.input_zero_point = TA_MODEL_HEAD_INPUT_ZERO_POINT;
    ta_adapt_factory.weights = ta_model_head_weights();
    ta_adapt_factory.weight_scales = ta_model_head_weight_scales();
    ta_adapt_factory.bias = ta_model_head_bias();
#if TA_MODEL_HAS_LABELS
    ta_adapt_factory.labels = ta_model_labels;
#else
    ta_adapt_factory.labels = NULL;
#endif
    memcpy(ta_adapt_identity.model_sha256, ta_model_sha256, 32u);
    memcpy(ta_adapt_identity.frontend_sha256, ta_model_frontend_sha256, 32u);
    ta_adapt_head.hp = ta_head_default_hparams();
    st = boot();
    if (st != TA_OK) {
        return fail("head boot failed with status ", (int32_t)st);
    }
    {
        char line[160];
        size_t len = 0;
        line[0] = '\0';
        put_text(line, &len, sizeof line, "TA_HEAD ram_bytes=");
        put_int(line, &len, sizeof line, (int32_t)sizeof ta_adapt_head);
        put_text(line, &len, sizeof line, " record_bytes=");
        put_int(line, &len, sizeof line, (int32_t)ta_head_record_bytes(ta_adapt_head.classes, ta_adapt_head.dim));
        put_text(line, &len, sizeof line, " slot_bytes=");
        put_int(line, &len, sizeof line, (int32_t)TA_HEAD_STORE_SLOT_BYTES);
        put_text(line, &len, sizeof line, " max_classes=");
        put_int(line, &len, sizeof line, (int32_t)TA_HEAD_MAX_CLASSES);
        ta_platform_log(line);
    }

    uint32_t commands = 0;
    uint32_t refused = 0;
    while (ta_platform_read_pcm(ta_adapt_header, TA_ADAPT_HEADER) == TA_PLATFORM_OK) {
        const int32_t op = header_int(0);
        const int32_t arg = header_int(1);
        char label[TA_HEAD_LABEL_BYTES];
        header_label(label);
        commands++;
        switch (op) {
        case OP_TRAIN: {
            if (run_clip() != TA_OK) {
                return fail("cannot run the clip of command ", (int32_t)commands);
            }
            ta_head_outcome_t outcome;
            ta_probe_head_update_begin();
            st = ta_head_update(&ta_adapt_head, ta_adapt_embedding, (uint32_t)arg, &outcome);
            ta_probe_head_update_end();
            if (st == TA_ERR_PARAM) {
                refused++; /* a label the head does not have: refused, nothing learned */
            } else if (st != TA_OK) {
                return fail("head update failed with status ", (int32_t)st);
            }
            break;
        }
        case OP_EVAL:
        case OP_EMBED: {
            if (run_clip() != TA_OK) {
                return fail("cannot run the clip of command ", (int32_t)commands);
            }
            int32_t predicted = -1;
            st = ta_head_classify(&ta_adapt_head, ta_adapt_embedding, ta_adapt_scores, TA_MODEL_OUTPUT_BYTES,
                                  &predicted);
            if (st != TA_OK) {
                return fail("head classify failed with status ", (int32_t)st);
            }
            const int8_t *values = op == OP_EVAL ? ta_adapt_scores : ta_adapt_embedding;
            size_t count = op == OP_EVAL ? (size_t)TA_MODEL_OUTPUT_BYTES : (size_t)TA_MODEL_HEAD_DIM;
            if (ta_platform_emit_result(ta_adapt_results++, predicted, values, count) != TA_PLATFORM_OK) {
                return fail("cannot emit result ", (int32_t)ta_adapt_results);
            }
            break;
        }
        case OP_IMPRINT: {
            st = ta_head_imprint_begin(&ta_adapt_head, label);
            for (int32_t k = 0; k < arg; ++k) {
                if (run_clip() != TA_OK) {
                    return fail("cannot run the clip of command ", (int32_t)commands);
                }
                if (st == TA_OK) {
                    st = ta_head_imprint_add(&ta_adapt_head, ta_adapt_embedding);
                }
            }
            uint32_t new_class = 0;
            if (st == TA_OK) {
                st = ta_head_imprint_end(&ta_adapt_head, &new_class);
            } else if (ta_adapt_head.imprinting) {
                (void)ta_head_imprint_end(&ta_adapt_head, &new_class);
            }
            if (st != TA_OK) {
                return fail("imprinting failed with status ", (int32_t)st);
            }
            log_kv("TA_HEAD imprint", " class=", (int32_t)new_class, " examples=", arg);
            break;
        }
        case OP_SAVE: {
            ta_storage_file_cut_after(arg >= 0 ? (uint32_t)arg : TA_STORAGE_FILE_NO_CUT);
            st = ta_head_store_save(&ta_adapt_store, &ta_adapt_head, &ta_adapt_identity);
            ta_storage_file_cut_after(TA_STORAGE_FILE_NO_CUT);
            if (st != TA_OK) {
                return fail("saving the head failed with status ", (int32_t)st);
            }
            char line[96];
            size_t len = 0;
            line[0] = '\0';
            put_text(line, &len, sizeof line, "TA_HEAD saved slot=");
            char name[2] = {slot_names[ta_adapt_store.active], '\0'};
            put_text(line, &len, sizeof line, name);
            put_text(line, &len, sizeof line, " seq=");
            put_int(line, &len, sizeof line, (int32_t)ta_adapt_store.seq);
            put_text(line, &len, sizeof line, " bytes=");
            put_int(line, &len, sizeof line,
                    (int32_t)ta_head_record_bytes(ta_adapt_head.classes, ta_adapt_head.dim));
            ta_platform_log(line);
            break;
        }
        case OP_RESET:
            if (ta_head_reset(&ta_adapt_head) != TA_OK) {
                return fail("reset failed", 0);
            }
            break;
        case OP_BOOT:
            if (boot() != TA_OK) {
                return fail("head boot failed", 0);
            }
            break;
        case OP_CONFIG: {
            ta_head_hparams_t hp;
            hp.learning_rate = ta_adapt_header[2];
            hp.l2 = ta_adapt_header[3];
            hp.clip_norm = ta_adapt_header[4];
            hp.momentum = ta_adapt_header[5];
            hp.reject_confidence = ta_adapt_header[6];
            hp.imprint_margin = ta_adapt_header[7];
            st = ta_head_set_hparams(&ta_adapt_head, &hp);
            if (st != TA_OK) {
                return fail("bad head hyperparameters, status ", (int32_t)st);
            }
            if (label[0] != '\0') {
                memset(ta_adapt_device_id, 0, sizeof ta_adapt_device_id);
                memcpy(ta_adapt_device_id, label, TA_HEAD_LABEL_BYTES - 1u);
                memcpy(ta_adapt_store.device_id, ta_adapt_device_id, sizeof ta_adapt_device_id);
            }
            break;
        }
        case OP_LISTEN:
            if (run_clip() != TA_OK) {
                return fail("cannot run the clip of command ", (int32_t)commands);
            }
            if (ta_head_observe(&ta_adapt_head, ta_adapt_embedding) != TA_OK) {
                return fail("observe failed", 0);
            }
            break;
        case OP_ERASE:
            if (ta_head_store_erase(&ta_adapt_store) != TA_OK) {
                return fail("erasing storage failed", 0);
            }
            break;
        default:
            return fail("unknown command ", op);
        }
    }
    char line[160];
    size_t len = 0;
    line[0] = '\0';
    put_text(line, &len, sizeof line, "TA_ADAPT done commands=");
    put_int(line, &len, sizeof line, (int32_t)commands);
    put_text(line, &len, sizeof line, " updates=");
    put_int(line, &len, sizeof line, (int32_t)ta_adapt_head.updates);
    put_text(line, &len, sizeof line, " rejected=");
    put_int(line, &len, sizeof line, (int32_t)ta_adapt_head.rejected);
    put_text(line, &len, sizeof line, " refused=");
    put_int(line, &len, sizeof line, (int32_t)refused);
    put_text(line, &len, sizeof line, " classes=");
    put_int(line, &len, sizeof line, (int32_t)ta_adapt_head.classes);
    ta_platform_log(line);
    log_kv("TA_STACK_HWM", " bytes=", (int32_t)ta_platform_stack_high_water(), NULL, 0);
    ta_platform_close();
    return 0;
}
