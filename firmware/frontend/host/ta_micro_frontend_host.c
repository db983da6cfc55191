/* Host driver of the micro frontend for tests and benchmarks (stdio; not firmware).
 *
 * Linked with a generated tables file defining `const ta_mfe_tables_t ta_host_mfe_tables`
 * (tinyaudio.frontend.micro_tables_to_c(config, "ta_host_mfe_tables")).
 *
 *   ta_micro_frontend_host clip   IN.s16 OUT.u16        const tables, ta_mfe_compute_clip()
 *   ta_micro_frontend_host built  IN.s16 OUT.u16        tables built at init from their config, then the same
 *   ta_micro_frontend_host stream IN.s16 OUT.u16 CHUNK  const tables, ta_mfe_push() CHUNK samples at a time
 *   ta_micro_frontend_host tables                       built tables == const tables, value for value
 *   ta_micro_frontend_host selfcheck                    error paths return their status, no crash
 *
 * IN is raw little-endian int16 PCM, OUT raw uint16 rows (the op's values before out_scale/out_type).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_micro_frontend.h"

extern const ta_mfe_tables_t ta_host_mfe_tables;

static ta_mfe_t fe;
static ta_mfe_table_storage_t storage;

static int16_t *read_pcm(const char *path, uint32_t *n)
{
    FILE *f = fopen(path, "rb");
    long bytes;
    int16_t *pcm;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (bytes = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    *n = (uint32_t)(bytes / 2);
    pcm = (int16_t *)malloc((size_t)*n * sizeof(int16_t) + 1u);
    if (pcm == NULL || fread(pcm, sizeof(int16_t), *n, f) != *n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    return pcm;
}

static void write_rows(const char *path, const uint16_t *rows, size_t count)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(rows, sizeof(uint16_t), count, f) != count) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fclose(f);
}

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "FAILED: %s\n", what);
        exit(1);
    }
}

static int run_clip(const char *in, const char *out, int build)
{
    uint32_t n;
    uint32_t rows_out = 0;
    int16_t *pcm = read_pcm(in, &n);
    ta_mfe_status_t st = build ? ta_mfe_init(&fe, &ta_host_mfe_tables.config, &storage)
                               : ta_mfe_init_const(&fe, &ta_host_mfe_tables);
    uint32_t rows = ta_mfe_num_rows(fe.tables, n);
    size_t values = (size_t)rows * ta_mfe_row_values(fe.tables);
    uint16_t *buf = (uint16_t *)malloc(values * sizeof(uint16_t) + 2u);
    expect(st == TA_MFE_OK && buf != NULL, "init");
    st = ta_mfe_compute_clip(&fe, pcm, n, buf, rows, &rows_out);
    expect(st == TA_MFE_OK && rows_out == rows, "compute_clip");
    write_rows(out, buf, values);
    free(buf);
    free(pcm);
    return 0;
}

static int run_stream(const char *in, const char *out, uint32_t chunk)
{
    uint32_t n;
    uint32_t pos = 0;
    uint32_t count = 0;
    int16_t *pcm = read_pcm(in, &n);
    uint32_t rows;
    uint32_t width;
    uint16_t *buf;
    expect(ta_mfe_init_const(&fe, &ta_host_mfe_tables) == TA_MFE_OK, "init_const");
    rows = ta_mfe_num_rows(fe.tables, n);
    width = ta_mfe_row_values(fe.tables);
    buf = (uint16_t *)malloc(((size_t)rows + 1u) * width * sizeof(uint16_t));
    expect(buf != NULL && chunk > 0u, "alloc");
    while (pos < n) {
        uint32_t piece = n - pos < chunk ? n - pos : chunk;
        const int16_t *p = &pcm[pos];
        pos += piece;
        while (piece > 0u) {
            uint32_t used = 0;
            ta_mfe_status_t st = ta_mfe_push(&fe, p, piece, &used, &buf[(size_t)count * width]);
            expect(st == TA_MFE_OK || st == TA_MFE_NEED_MORE, "push");
            expect(used <= piece, "consumed");
            p += used;
            piece -= used;
            if (st == TA_MFE_OK) {
                count++;
                expect(count <= rows, "too many rows");
            }
        }
    }
    while (ta_mfe_flush(&fe, &buf[(size_t)count * width]) == TA_MFE_OK) {
        count++;
        expect(count <= rows, "too many rows at flush");
    }
    expect(count == rows, "row count");
    write_rows(out, buf, (size_t)count * width);
    free(buf);
    free(pcm);
    return 0;
}

static int same16(const int16_t *a, const int16_t *b, size_t n)
{
    return n == 0u || memcmp(a, b, n * sizeof(int16_t)) == 0;
}

static int run_tables(void)
{
    const ta_mfe_tables_t *c = &ta_host_mfe_tables;
    const ta_mfe_tables_t *b;
    uint32_t bands = (uint32_t)c->config.num_channels + 1u;
    expect(ta_mfe_build_tables(&storage, &c->config) == TA_MFE_OK, "build");
    b = &storage.tables;
    expect(b->version == c->version && b->window_samples == c->window_samples &&
               b->step_samples == c->step_samples && b->fft.n == c->fft.n && b->num_weights == c->num_weights &&
               b->even_smoothing == c->even_smoothing && b->odd_smoothing == c->odd_smoothing &&
               b->min_signal_remaining == c->min_signal_remaining && b->snr_shift == c->snr_shift &&
               b->correction_bits == c->correction_bits,
           "scalars");
    expect(same16(b->window, c->window, c->window_samples), "window");
    expect(memcmp(b->fft.twiddles, c->fft.twiddles, (size_t)c->fft.n / 2u * sizeof(ta_cpx_i16_t)) == 0, "twiddles");
    expect(memcmp(b->fft.super_twiddles, c->fft.super_twiddles, (size_t)c->fft.n / 4u * sizeof(ta_cpx_i16_t)) == 0,
           "super twiddles");
    expect(memcmp(b->band_start, c->band_start, bands * sizeof(uint16_t)) == 0, "band starts");
    expect(memcmp(b->band_width, c->band_width, bands * sizeof(uint16_t)) == 0, "band widths");
    expect(same16(b->weights, c->weights, c->num_weights), "weights");
    expect(same16(b->unweights, c->unweights, c->num_weights), "unweights");
    expect((b->pcan_lut == NULL) == (c->pcan_lut == NULL), "pcan presence");
    expect(b->pcan_lut == NULL || same16(b->pcan_lut, c->pcan_lut, TA_MFE_PCAN_LUT_SIZE), "pcan lut");
    printf("tables ok\n");
    return 0;
}

static int run_selfcheck(void)
{
    static ta_mfe_tables_t bad;
    ta_mfe_config_t cfg = ta_host_mfe_tables.config;
    uint16_t row[TA_MFE_MAX_STACK * TA_MFE_MAX_CHANNELS];
    int16_t pcm[8] = {0};
    uint32_t used = 0;
    uint32_t rows = 0;

    memset(&fe, 0, sizeof fe);
    expect(ta_mfe_init_const(NULL, &ta_host_mfe_tables) == TA_MFE_ERR_NULL, "init NULL state");
    expect(ta_mfe_init_const(&fe, NULL) == TA_MFE_ERR_NULL, "init NULL tables");
    expect(ta_mfe_push(&fe, pcm, 8u, &used, row) == TA_MFE_ERR_NOT_INIT, "push before init");
    expect(ta_mfe_flush(&fe, row) == TA_MFE_ERR_NOT_INIT, "flush before init");
    expect(ta_mfe_reset(&fe) == TA_MFE_ERR_NOT_INIT, "reset before init");

    bad = ta_host_mfe_tables;
    bad.version = TA_MFE_TABLES_VERSION + 1u;
    expect(ta_mfe_init_const(&fe, &bad) == TA_MFE_ERR_TABLES, "tables version");
    bad = ta_host_mfe_tables;
    bad.window_samples = (uint16_t)(bad.window_samples + 1u);
    expect(ta_mfe_init_const(&fe, &bad) == TA_MFE_ERR_TABLES, "tables of another window");
    bad = ta_host_mfe_tables;
    bad.num_weights = (uint16_t)(bad.num_weights + 1u);
    expect(ta_mfe_init_const(&fe, &bad) == TA_MFE_ERR_TABLES, "weights count");
    bad = ta_host_mfe_tables;
    bad.weights = NULL;
    expect(ta_mfe_init_const(&fe, &bad) == TA_MFE_ERR_TABLES, "missing weights");
    bad = ta_host_mfe_tables;
    bad.config.num_channels = (uint16_t)(TA_MFE_MAX_CHANNELS + 1u);
    expect(ta_mfe_init_const(&fe, &bad) == TA_MFE_ERR_CHANNELS, "too many channels");
    bad = ta_host_mfe_tables;
    bad.config.frame_stride = 0u;
    expect(ta_mfe_init_const(&fe, &bad) == TA_MFE_ERR_CONTEXT, "stride 0");

    expect(ta_mfe_init_const(&fe, &ta_host_mfe_tables) == TA_MFE_OK, "init");
    expect(ta_mfe_push(&fe, NULL, 8u, &used, row) == TA_MFE_ERR_NULL, "push NULL samples");
    expect(ta_mfe_push(&fe, pcm, 0u, &used, row) == TA_MFE_NEED_MORE && used == 0u, "push nothing");
    expect(ta_mfe_flush(&fe, row) == TA_MFE_DONE, "flush of an empty clip");
    expect(ta_mfe_compute_clip(&fe, pcm, 8u, row, 0u, &rows) == TA_MFE_OK && rows == 0u, "clip shorter than a window");
    {
        uint32_t n = ta_host_mfe_tables.window_samples + 2u * ta_host_mfe_tables.step_samples;
        int16_t *clip = (int16_t *)calloc(n, sizeof(int16_t));
        expect(clip != NULL, "alloc");
        expect(ta_mfe_compute_clip(&fe, clip, n, row, 0u, &rows) == TA_MFE_ERR_CAPACITY, "capacity");
        free(clip);
    }

    cfg.sample_rate_hz = 500u;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_SAMPLE_RATE, "sample rate");
    cfg = ta_host_mfe_tables.config;
    cfg.window_size_ms = 200u;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_WINDOW, "window too long");
    cfg = ta_host_mfe_tables.config;
    cfg.window_step_ms = (uint16_t)(cfg.window_size_ms + 1u);
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_WINDOW, "step longer than the window");
    cfg = ta_host_mfe_tables.config;
    cfg.upper_band_limit_hz = cfg.lower_band_limit_hz;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_BAND, "empty band");
    cfg = ta_host_mfe_tables.config;
    cfg.upper_band_limit_hz = (float)cfg.sample_rate_hz; /* past Nyquist: the filterbank builder refuses */
    expect(ta_mfe_build_tables(&storage, &cfg) == TA_MFE_ERR_BAND, "band past Nyquist");
    cfg = ta_host_mfe_tables.config;
    cfg.even_smoothing = 1.5f;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_NOISE, "smoothing > 1");
    cfg = ta_host_mfe_tables.config;
    cfg.enable_pcan = 1u;
    cfg.gain_bits = 2u;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_PCAN, "negative SNR shift");
    cfg = ta_host_mfe_tables.config;
    cfg.scale_shift = 40u;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_LOG, "scale shift");
    cfg = ta_host_mfe_tables.config;
    cfg.out_scale = 0u;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_OUTPUT, "out_scale 0");
    cfg = ta_host_mfe_tables.config;
    cfg.left_context = TA_MFE_MAX_STACK;
    expect(ta_mfe_config_check(&cfg) == TA_MFE_ERR_CONTEXT, "context too deep");
    expect(ta_mfe_config_check(NULL) == TA_MFE_ERR_NULL, "NULL config");
    expect(strcmp(ta_mfe_status_str(TA_MFE_ERR_TABLES), "unknown status") != 0, "status names");
    printf("selfcheck ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "clip") == 0) {
        return run_clip(argv[2], argv[3], 0);
    }
    if (argc == 4 && strcmp(argv[1], "built") == 0) {
        return run_clip(argv[2], argv[3], 1);
    }
    if (argc == 5 && strcmp(argv[1], "stream") == 0) {
        return run_stream(argv[2], argv[3], (uint32_t)strtoul(argv[4], NULL, 10));
    }
    if (argc == 2 && strcmp(argv[1], "tables") == 0) {
        return run_tables();
    }
    if (argc == 2 && strcmp(argv[1], "selfcheck") == 0) {
        return run_selfcheck();
    }
    fprintf(stderr, "usage: %s clip|built IN.s16 OUT.u16 | stream IN.s16 OUT.u16 CHUNK | tables | selfcheck\n",
            argv[0]);
    return 2;
}
