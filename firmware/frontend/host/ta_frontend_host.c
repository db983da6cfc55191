/*
 * Host driver of the C frontend, for tests and the benchmark (not firmware: it uses stdio/malloc).
 * Link it with the frontend sources (firmware/frontend, every .c) and one .c file defining
 *     const ta_frontend_config_t ta_model_frontend = {...};   (tinyaudio.frontend.config_to_c())
 *
 * ta_frontend_host clip   IN.f32 OUT.f32   whole clip (ta_frontend_compute_clip), gain per config
 * ta_frontend_host stream IN.f32 OUT.f32   hop by hop (push_hop, flush), gain from clip_gain
 * ta_frontend_host i16    IN.s16 OUT.f32   hop by hop from int16 PCM (push_hop_i16)
 * ta_frontend_host bench  IN.f32 REPEATS   prints seconds of audio per second of CPU (clock())
 * ta_frontend_host selfcheck               error paths: NULLs, bad configs, capacity, gain
 * IN/OUT are raw little-endian arrays; OUT holds frames x features float32.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ta_frontend.h"

extern const ta_frontend_config_t ta_model_frontend;

static ta_frontend_t g_fe;

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

    check(ta_frontend_init(&g_fe, &ta_model_frontend), TA_FRONTEND_OK, "init");
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
    check(ta_frontend_init(&g_fe, &ta_model_frontend), TA_FRONTEND_OK, "init");
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
    check(ta_frontend_init(&g_fe, &ta_model_frontend), TA_FRONTEND_OK, "init");
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
    check(ta_frontend_init(NULL, &ta_model_frontend), TA_FRONTEND_ERR_NULL, "init NULL state");
    check(ta_frontend_init(&g_fe, NULL), TA_FRONTEND_ERR_NULL, "init NULL config");
    memset(&g_fe, 0, sizeof(g_fe));
    check(ta_frontend_push_hop(&g_fe, audio, frame), TA_FRONTEND_ERR_NOT_INIT, "push before init");
    check(ta_frontend_flush(&g_fe, frame), TA_FRONTEND_ERR_NOT_INIT, "flush before init");

#define TA_BAD(field, value, want)                                                                  \
    bad = ta_model_frontend;                                                                        \
    bad.field = value;                                                                              \
    check(ta_frontend_init(&g_fe, &bad), want, "bad " #field);
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
    check(ta_frontend_init(&g_fe, &bad), TA_FRONTEND_ERR_LOG, "log of zero");
    bad = ta_model_frontend;
    bad.dct = (uint8_t)TA_DCT_ORTHO;
    bad.num_coeffs = (uint16_t)(bad.num_mel_bins + 1u);
    check(ta_frontend_init(&g_fe, &bad), TA_FRONTEND_ERR_COEFFS, "too many coefficients");

    check(ta_frontend_init(&g_fe, &ta_model_frontend), TA_FRONTEND_OK, "init");
    check(ta_frontend_set_gain(&g_fe, 0.0f), TA_FRONTEND_ERR_GAIN, "gain 0");
    check(ta_frontend_set_gain(&g_fe, -1.0f), TA_FRONTEND_ERR_GAIN, "gain < 0");
    check(ta_frontend_push_hop(&g_fe, NULL, frame), TA_FRONTEND_ERR_NULL, "push NULL");
    check(ta_frontend_compute_clip(&g_fe, audio, 64u, frame, 0u, &frames),
          ta_frontend_num_frames(&ta_model_frontend, 64u) > 0u ? TA_FRONTEND_ERR_CAPACITY : TA_FRONTEND_OK,
          "capacity");
    check(ta_frontend_compute_clip(&g_fe, NULL, 0u, NULL, 0u, &frames), TA_FRONTEND_OK, "empty clip");
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

int main(int argc, char **argv)
{
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
    fprintf(stderr, "usage: %s clip|stream|i16 IN OUT | bench IN REPEATS | selfcheck\n", argv[0]);
    return 2;
}
