/* Host platform: PCM from a file of little-endian float32 samples, results to a text file, time from
 * CLOCK_MONOTONIC, storage emulated in RAM (ta_storage_ram.c). Used for the native build that runs the
 * same application core as the Cortex-M builds. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>

#include "ta_platform.h"
#include "ta_result_format.h"

static FILE *pcm_in;
static FILE *results_out;
static struct timespec t0;

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s PCM_F32_FILE RESULTS_TXT [STRIDE_FRAMES]\n", argc > 0 ? argv[0] : "ta_app");
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    pcm_in = fopen(argv[1], "rb");
    if (pcm_in == NULL) {
        fprintf(stderr, "TA_ERROR cannot open PCM input %s\n", argv[1]);
        return TA_PLATFORM_IO_ERROR;
    }
    results_out = fopen(argv[2], "w");
    if (results_out == NULL) {
        fprintf(stderr, "TA_ERROR cannot open result output %s\n", argv[2]);
        fclose(pcm_in);
        pcm_in = NULL;
        return TA_PLATFORM_IO_ERROR;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    if (pcm_in == NULL || hop == NULL) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    size_t got = fread(hop, sizeof(float), count, pcm_in);
    if (got == count) {
        return TA_PLATFORM_OK;
    }
    return ferror(pcm_in) ? TA_PLATFORM_IO_ERROR : TA_PLATFORM_END_OF_STREAM;
}

ta_platform_status_t ta_platform_emit_result(uint32_t index, int32_t label, const int8_t *scores, size_t count)
{
    static char line[16u * 260u]; /* static: a result line must not dominate the stack measurement */
    size_t len = ta_format_result(line, sizeof line, index, label, scores, count);
    if (results_out == NULL || len == 0u || fwrite(line, 1, len, results_out) != len) {
        return TA_PLATFORM_IO_ERROR;
    }
    return TA_PLATFORM_OK;
}

void ta_platform_log(const char *line)
{
    fputs(line, stdout);
    fputc('\n', stdout);
}

uint64_t ta_platform_time_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t us = (int64_t)(now.tv_sec - t0.tv_sec) * 1000000 + (now.tv_nsec - t0.tv_nsec) / 1000;
    return (uint64_t)us;
}

uint32_t ta_platform_stack_high_water(void)
{
    return 0u; /* not measured on the host; see the QEMU platform */
}

void ta_platform_close(void)
{
    if (pcm_in != NULL) {
        fclose(pcm_in);
        pcm_in = NULL;
    }
    if (results_out != NULL) {
        fclose(results_out);
        results_out = NULL;
    }
    fflush(stdout);
}
