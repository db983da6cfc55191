/*
 * Host driver of the C frontend, for tests and the benchmark (not firmware: it uses stdio/malloc).
 * Link it with the frontend sources (firmware/frontend, every .c) and one .c file defining
 *     const ta_frontend_config_t ta_model_frontend = {...};             (tinyaudio.frontend.config_to_c())
 *     const ta_frontend_tables_t ta_model_frontend_tables = {...};      (same call, with its tables)
 *
 * ta_frontend_host [--const] clip   IN.f32 OUT.f32   whole clip (ta_frontend_compute_clip), gain per config
 * ta_frontend_host [--const] stream IN.f32 OUT.f32   hop by hop (push_hop, flush), gain from clip_gain
 * ta_frontend_host [--const] i16    IN.s16 OUT.f32   hop by hop from int16 PCM (push_hop_i16)
 * ta_frontend_host [--const] bench  IN.f32 REPEATS   prints seconds of audio per second of CPU (clock())
 * ta_frontend_host selfcheck               error paths: NULLs, bad configs, capacity, gain, tables
 * ta_frontend_host tables                  the generated const tables == tables built here, bit for bit
 * --const: the state uses the generated const tables (ta_frontend_init_const) instead of building them.
 * IN/OUT are raw little-endian arrays; OUT holds frames x features float32.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ta_frontend.h"

extern const ta_frontend_config_t ta_model_frontend;
extern const ta_frontend_tables_t ta_model_frontend_tables;

static ta_frontend_t g_fe;
static ta_frontend_table_storage_t g_storage;
static int g_use_const = 0;

/* The init path under test: tables built into g_storage, or the generated const ones. */
static ta_frontend_status_t init_frontend(void)
{
    if (g_use_const) {
        return ta_frontend_init_const(&g_fe, &ta_model_frontend, &ta_model_frontend_tables);
    }
    return ta_frontend_init(&g_fe, &ta_model_frontend, &g_storage);
}

static void *read_file(const char *path, size_t *bytes)
{
    FILE *f = fopen(path, "rb");
    long size;
    void *data;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    data = malloc((size_t)size + 1u);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *bytes = (size_t)size;
    return data;
}

static void write_file(const char *path, const float *data, size_t count)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, sizeof(float), count, f) != count || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

static void check(ta_frontend_status_t got, ta_frontend_status_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "%s: got %d (%s), want %d\n", what, (int)got, ta_frontend_status_str(got), (int)want);
        exit(1);
    }
}

static int run_stream(const char *in_path, const char *out_path, int int16_input)
{
    size_t bytes;
    void *raw = read_file(in_path, &bytes);
    uint32_t hop = ta_model_frontend.hop_length;
    uint32_t feats = ta_frontend_num_features(&ta_model_frontend);
    uint32_t n = (uint32_t)(bytes / (int16_input ? sizeof(int16_t) : sizeof(float)));
    uint32_t cap = ta_frontend_num_frames(&ta_model_frontend, ((n + hop - 1u) / hop) * hop) + 1u;
    float *out = calloc((size_t)cap * feats, sizeof(float));
    float *hop_f = calloc(hop, sizeof(float));
    int16_t *hop_i = calloc(hop, sizeof(int16_t));
    uint32_t frames = 0;
    uint32_t pos;
    ta_frontend_status_t st;

    check(init_frontend(), TA_FRONTEND_OK, "init");
    if (!int16_input) {
        check(ta_frontend_set_gain(&g_fe, ta_frontend_clip_gain(&ta_model_frontend, raw, n)), TA_FRONTEND_OK,
              "set_gain");
    }
    for (pos = 0; pos < n; pos += hop) {
        uint32_t valid = n - pos < hop ? n - pos : hop;
        if (int16_input) {
            memset(hop_i, 0, hop * sizeof(int16_t));
            memcpy(hop_i, (const int16_t *)raw + pos, valid * sizeof(int16_t));
            st = ta_frontend_push_hop_i16(&g_fe, hop_i, &out[(size_t)frames * feats]);
        } else {
            memset(hop_f, 0, hop * sizeof(float));
            memcpy(hop_f, (const float *)raw + pos, valid * sizeof(float));
            st = ta_frontend_push_hop(&g_fe, hop_f, &out[(size_t)frames * feats]);
        }
        if (st == TA_FRONTEND_OK) {
            frames++;
        } else {
            check(st, TA_FRONTEND_NEED_MORE, "push");
        }
    }
    while ((st = ta_frontend_flush(&g_fe, &out[(size_t)frames * feats])) == TA_FRONTEND_OK) {
        frames++;
    }
    check(st, TA_FRONTEND_DONE, "flush");
    write_file(out_path, out, (size_t)frames * feats);
    free(out);
    free(hop_f);
    free(hop_i);
    free(raw);
    return 0;
}

static int run_clip(const char *in_path, const char *out_path)
{
    size_t bytes;
    float *audio = read_file(in_path, &bytes);
    uint32_t n = (uint32_t)(bytes / sizeof(float));
    uint32_t cap = ta_frontend_num_frames(&ta_model_frontend, n);
    uint32_t feats = ta_frontend_num_features(&ta_model_frontend);
    float *out = calloc((size_t)cap * feats + 1u, sizeof(float));
    uint32_t frames = 0;
    check(init_frontend(), TA_FRONTEND_OK, "init");
    check(ta_frontend_compute_clip(&g_fe, audio, n, out, cap, &frames), TA_FRONTEND_OK, "compute_clip");
    write_file(out_path, out, (size_t)frames * feats);
    free(out);
    free(audio);
    return 0;
}

static int run_bench(const char *in_path, long repeats)
{
    size_t bytes;
    float *audio = read_file(in_path, &bytes);
    uint32_t n = (uint32_t)(bytes / sizeof(float));
    uint32_t cap = ta_frontend_num_frames(&ta_model_frontend, n);
    float *out = calloc((size_t)cap * ta_frontend_num_features(&ta_model_frontend) + 1u, sizeof(float));
    uint32_t frames = 0;
    long r;
    clock_t start;
    double seconds;
    check(init_frontend(), TA_FRONTEND_OK, "init");
    start = clock();
    for (r = 0; r < repeats; ++r) {
        check(ta_frontend_compute_clip(&g_fe, audio, n, out, cap, &frames), TA_FRONTEND_OK, "compute_clip");
    }
    seconds = (double)(clock() - start) / (double)CLOCKS_PER_SEC;
    printf("clips %ld audio_seconds %.3f cpu_seconds %.4f audio_seconds_per_second %.1f state_bytes %u\n",
           repeats, (double)repeats * n / ta_model_frontend.sample_rate_hz, seconds,
           seconds > 0.0 ? (double)repeats * n / ta_model_frontend.sample_rate_hz / seconds : 0.0,
           (unsigned)TA_FRONTEND_STATE_BYTES);
    free(out);
    free(audio);
    return 0;
}

static int run_selfcheck(void)
{
    ta_frontend_config_t bad;
    float frame[TA_FRONTEND_MAX_MEL_BINS];
    float audio[64] = {0};
    uint32_t frames = 99;

    check(ta_frontend_config_check(NULL), TA_FRONTEND_ERR_NULL, "check NULL");
    check(ta_frontend_init(NULL, &ta_model_frontend, &g_storage), TA_FRONTEND_ERR_NULL, "init NULL state");
    check(ta_frontend_init(&g_fe, NULL, &g_storage), TA_FRONTEND_ERR_NULL, "init NULL config");
    check(ta_frontend_init(&g_fe, &ta_model_frontend, NULL), TA_FRONTEND_ERR_NULL, "init NULL storage");
    check(ta_frontend_init_const(&g_fe, &ta_model_frontend, NULL), TA_FRONTEND_ERR_NULL, "init NULL tables");
    check(ta_frontend_build_tables(NULL, &ta_model_frontend), TA_FRONTEND_ERR_NULL, "build NULL storage");
    memset(&g_fe, 0, sizeof(g_fe));
    check(ta_frontend_push_hop(&g_fe, audio, frame), TA_FRONTEND_ERR_NOT_INIT, "push before init");
    check(ta_frontend_flush(&g_fe, frame), TA_FRONTEND_ERR_NOT_INIT, "flush before init");

#define TA_BAD(field, value, want)                                                                  \
    bad = ta_model_frontend;                                                                        \
    bad.field = value;                                                                              \
    check(ta_frontend_init(&g_fe, &bad, &g_storage), want, "bad " #field);
    TA_BAD(fft_length, 384u, TA_FRONTEND_ERR_FFT_LENGTH)
    TA_BAD(fft_length, (uint16_t)(2u * TA_FRONTEND_MAX_FFT), TA_FRONTEND_ERR_FFT_LENGTH)
    TA_BAD(fft_length, 1u, TA_FRONTEND_ERR_FFT_LENGTH)
    TA_BAD(frame_length, 0u, TA_FRONTEND_ERR_FRAME_LENGTH)
    TA_BAD(hop_length, 0u, TA_FRONTEND_ERR_HOP_LENGTH)
    TA_BAD(sample_rate_hz, 0u, TA_FRONTEND_ERR_SAMPLE_RATE)
    TA_BAD(num_mel_bins, 0u, TA_FRONTEND_ERR_MEL_BINS)
    TA_BAD(num_mel_bins, (uint16_t)(TA_FRONTEND_MAX_MEL_BINS + 1u), TA_FRONTEND_ERR_MEL_BINS)
    TA_BAD(fmax_hz, 1e9f, TA_FRONTEND_ERR_MEL_RANGE)
    TA_BAD(fmin_hz, -1.0f, TA_FRONTEND_ERR_MEL_RANGE)
    TA_BAD(window, 7u, TA_FRONTEND_ERR_ENUM)
    TA_BAD(normalize, 9u, TA_FRONTEND_ERR_ENUM)
    TA_BAD(clip_samples, 0u, TA_FRONTEND_ERR_CLIP_LENGTH)
#undef TA_BAD
    bad = ta_model_frontend;
    bad.log_type = (uint8_t)TA_LOG_LN;
    bad.log_floor = 0.0f;
    bad.log_offset = 0.0f;
    check(ta_frontend_init(&g_fe, &bad, &g_storage), TA_FRONTEND_ERR_LOG, "log of zero");
    bad = ta_model_frontend;
    bad.dct = (uint8_t)TA_DCT_ORTHO;
    bad.num_coeffs = (uint16_t)(bad.num_mel_bins + 1u);
    check(ta_frontend_init(&g_fe, &bad, &g_storage), TA_FRONTEND_ERR_COEFFS, "too many coefficients");

    /* Const tables: accepted for their own config (and for one differing only in fields the tables do
     * not depend on), refused for another one or another layout version. */
    check(ta_frontend_init_const(&g_fe, &ta_model_frontend, &ta_model_frontend_tables), TA_FRONTEND_OK,
          "init const");
    bad = ta_model_frontend;
    bad.hop_length = (uint16_t)(bad.hop_length > 1u ? bad.hop_length - 1u : 1u);
    bad.normalize = (uint8_t)TA_NORMALIZE_NONE;
    check(ta_frontend_init_const(&g_fe, &bad, &ta_model_frontend_tables), TA_FRONTEND_OK,
          "const tables with another hop");
    bad = ta_model_frontend;
    bad.num_mel_bins = (uint16_t)(bad.num_mel_bins > 1u ? bad.num_mel_bins - 1u : 2u);
    bad.num_coeffs = 1u;
    check(ta_frontend_init_const(&g_fe, &bad, &ta_model_frontend_tables), TA_FRONTEND_ERR_TABLES,
          "const tables of another mel bank");
    bad = ta_model_frontend;
    bad.fmax_hz = bad.fmax_hz * 0.5f;
    check(ta_frontend_init_const(&g_fe, &bad, &ta_model_frontend_tables), TA_FRONTEND_ERR_TABLES,
          "const tables of another fmax");
    bad = ta_model_frontend;
    bad.window = (uint8_t)(bad.window == (uint8_t)TA_WINDOW_HANN_PERIODIC ? TA_WINDOW_HANN_SYMMETRIC
                                                                         : TA_WINDOW_HANN_PERIODIC);
    check(ta_frontend_init_const(&g_fe, &bad, &ta_model_frontend_tables), TA_FRONTEND_ERR_TABLES,
          "const tables of another window");
    {
        static ta_frontend_tables_t other;
        other = ta_model_frontend_tables;
        other.version = TA_FRONTEND_TABLES_VERSION + 1u;
        check(ta_frontend_init_const(&g_fe, &ta_model_frontend, &other), TA_FRONTEND_ERR_TABLES,
              "const tables of another version");
        other = ta_model_frontend_tables;
        other.fft.n = (uint16_t)(other.fft.n / 2u);
        check(ta_frontend_init_const(&g_fe, &ta_model_frontend, &other), TA_FRONTEND_ERR_TABLES,
              "const tables with a short FFT view");
        if (ta_model_frontend_tables.fft.num_swaps > 0u) {
            static uint16_t swaps[TA_FRONTEND_MAX_FFT / 2u];
            other = ta_model_frontend_tables;
            memcpy(swaps, other.fft.swaps, 2u * (size_t)other.fft.num_swaps * sizeof(uint16_t));
            swaps[1] = (uint16_t)(other.fft.n / 2u); /* one past the last complex point */
            other.fft.swaps = swaps;
            check(ta_frontend_init_const(&g_fe, &ta_model_frontend, &other), TA_FRONTEND_ERR_TABLES,
                  "const tables with a swap out of range");
        }
    }
    check(ta_frontend_build_tables(&g_storage, &ta_model_frontend), TA_FRONTEND_OK, "build tables");
    check(ta_frontend_init_const(&g_fe, &ta_model_frontend, &g_storage.tables), TA_FRONTEND_OK,
          "init const with built tables");

    check(init_frontend(), TA_FRONTEND_OK, "init");
    check(ta_frontend_set_gain(&g_fe, 0.0f), TA_FRONTEND_ERR_GAIN, "gain 0");
    check(ta_frontend_set_gain(&g_fe, -1.0f), TA_FRONTEND_ERR_GAIN, "gain < 0");
    check(ta_frontend_push_hop(&g_fe, NULL, frame), TA_FRONTEND_ERR_NULL, "push NULL");
    check(ta_frontend_compute_clip(&g_fe, audio, 64u, frame, 0u, &frames),
          ta_frontend_num_frames(&ta_model_frontend, 64u) > 0u ? TA_FRONTEND_ERR_CAPACITY : TA_FRONTEND_OK,
          "capacity");
    check(ta_frontend_compute_clip(&g_fe, NULL, 0u, NULL, 0u, &frames),
          ta_frontend_num_frames(&ta_model_frontend, 0u) > 0u ? TA_FRONTEND_ERR_CAPACITY : TA_FRONTEND_OK,
          "empty clip"); /* with center = 1 an empty clip still has one (padding) frame */
    if (ta_frontend_clip_gain(&ta_model_frontend, audio, 64u) != 1.0f) {
        fprintf(stderr, "gain of silence must be 1\n");
        return 1;
    }
    if (strcmp(ta_frontend_status_str((ta_frontend_status_t)-99), "unknown status") != 0) {
        return 1;
    }
    printf("selfcheck ok (state %u bytes)\n", (unsigned)TA_FRONTEND_STATE_BYTES);
    return 0;
}

/* memcmp of two arrays of count elements; prints which one differs. */
static int same_bits(const void *a, const void *b, size_t bytes, const char *what)
{
    if (bytes > 0u && (a == NULL || b == NULL || memcmp(a, b, bytes) != 0)) {
        fprintf(stderr, "tables differ: %s\n", what);
        return 0;
    }
    return 1;
}

/* The generated const tables hold exactly the numbers this build of the builder produces. */
static int run_tables(void)
{
    const ta_frontend_tables_t *c = &ta_model_frontend_tables;
    const ta_frontend_tables_t *r = &g_storage.tables;
    uint32_t half;
    uint32_t bands;
    uint32_t dct_values;
    int ok = 1;
    check(ta_frontend_build_tables(&g_storage, &ta_model_frontend), TA_FRONTEND_OK, "build tables");
    half = (uint32_t)r->fft.n / 2u;
    bands = r->mel.num_bands;
    dct_values = r->dct.cos_table != NULL ? 4u * (uint32_t)r->dct.num_in : 0u;
    if (c->version != r->version || c->fft.n != r->fft.n || c->fft.num_swaps != r->fft.num_swaps ||
        c->mel.num_bands != r->mel.num_bands ||
        c->mel.num_weights_total != r->mel.num_weights_total || c->dct.type != r->dct.type ||
        c->dct.num_in != r->dct.num_in || c->dct.num_out != r->dct.num_out ||
        (c->dct.cos_table == NULL) != (r->dct.cos_table == NULL)) {
        fprintf(stderr, "tables differ: sizes\n");
        return 1;
    }
    ok &= same_bits(c->window, r->window, (size_t)ta_model_frontend.frame_length * sizeof(float), "window");
    ok &= same_bits(c->fft.cos_table, r->fft.cos_table, half * sizeof(float), "fft cos");
    ok &= same_bits(c->fft.sin_table, r->fft.sin_table, half * sizeof(float), "fft sin");
    ok &= same_bits(c->fft.swaps, r->fft.swaps, 2u * (size_t)r->fft.num_swaps * sizeof(uint16_t), "fft swaps");
    ok &= same_bits(c->mel.first_bin, r->mel.first_bin, bands * sizeof(uint16_t), "mel first_bin");
    ok &= same_bits(c->mel.num_weights, r->mel.num_weights, bands * sizeof(uint16_t), "mel num_weights");
    ok &= same_bits(c->mel.weights, r->mel.weights, r->mel.num_weights_total * sizeof(float), "mel weights");
    ok &= same_bits(c->dct.cos_table, r->dct.cos_table, dct_values * sizeof(float), "dct cos");
    ok &= same_bits(&c->dct.scale_first, &r->dct.scale_first, sizeof(float), "dct scale_first");
    ok &= same_bits(&c->dct.scale_rest, &r->dct.scale_rest, sizeof(float), "dct scale_rest");
    if (!ok) {
        return 1;
    }
    printf("tables equal: window %u, fft %u + %u + %u swaps, mel %u bands %u weights, dct %u; const bytes %u, "
           "storage bytes %u, state bytes %u\n",
           (unsigned)ta_model_frontend.frame_length, (unsigned)half, (unsigned)half, (unsigned)r->fft.num_swaps,
           (unsigned)bands,
           (unsigned)r->mel.num_weights_total, (unsigned)dct_values,
           (unsigned)(sizeof(ta_frontend_tables_t) +
                      ((size_t)ta_model_frontend.frame_length + 2u * half + r->mel.num_weights_total + dct_values) *
                          sizeof(float) +
                      (2u * bands + 2u * (size_t)r->fft.num_swaps) * sizeof(uint16_t)),
           (unsigned)TA_FRONTEND_TABLE_STORAGE_BYTES, (unsigned)TA_FRONTEND_STATE_BYTES);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--const") == 0) {
        g_use_const = 1;
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    if (argc >= 2 && strcmp(argv[1], "tables") == 0) {
        return run_tables();
    }
    if (argc >= 2 && strcmp(argv[1], "selfcheck") == 0) {
        return run_selfcheck();
    }
    if (argc == 4 && strcmp(argv[1], "clip") == 0) {
        return run_clip(argv[2], argv[3]);
    }
    if (argc == 4 && strcmp(argv[1], "stream") == 0) {
        return run_stream(argv[2], argv[3], 0);
    }
    if (argc == 4 && strcmp(argv[1], "i16") == 0) {
        return run_stream(argv[2], argv[3], 1);
    }
    if (argc == 4 && strcmp(argv[1], "bench") == 0) {
        return run_bench(argv[2], atol(argv[3]));
    }
    fprintf(stderr, "usage: %s [--const] clip|stream|i16 IN OUT | [--const] bench IN REPEATS | selfcheck | tables\n",
            argv[0]);
    return 2;
}
