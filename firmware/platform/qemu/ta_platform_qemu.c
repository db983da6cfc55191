/* QEMU platform: PCM and results through semihosting files (no libc stdio, no heap), time from a
 * polled SysTick, storage emulated in RAM (ta_storage_ram.c), stack high-water mark from painting. */
#include <string.h>

#include "ta_platform.h"
#include "ta_qemu.h"
#include "ta_result_format.h"
#include "ta_semihost.h"

#define TA_SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define TA_SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define TA_SYST_CVR (*(volatile uint32_t *)0xE000E018u)
/* The clock QEMU gives these boards' CPUs (mps2: 25 MHz, mps3-an547: 32 MHz); time is only
 * indicative under emulation. */
#ifndef TA_QEMU_CPU_HZ
#define TA_QEMU_CPU_HZ 25000000u
#endif

static int32_t pcm_in = -1;
static int32_t results_out = -1;
static int32_t console = -1;
static uint64_t ticks;
static uint32_t last_cvr;

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    console = ta_semihost_open(":tt", TA_SEMIHOST_MODE_WRITE_TEXT);
    if (argc < 3) {
        ta_semihost_write0("usage: ta_app PCM_F32_FILE RESULTS_TXT [STRIDE_FRAMES] (semihosting arguments)\n");
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    pcm_in = ta_semihost_open(argv[1], TA_SEMIHOST_MODE_READ_BINARY);
    if (pcm_in < 0) {
        ta_semihost_write0("TA_ERROR cannot open PCM input\n");
        return TA_PLATFORM_IO_ERROR;
    }
    results_out = ta_semihost_open(argv[2], TA_SEMIHOST_MODE_WRITE_TEXT);
    if (results_out < 0) {
        ta_semihost_write0("TA_ERROR cannot open result output\n");
        return TA_PLATFORM_IO_ERROR;
    }
    /* Free-running SysTick on the CPU clock, no interrupt (an interrupt would make instruction
     * counts depend on host timing); ta_platform_time_us() extends it to 64 bits. */
    TA_SYST_RVR = 0x00FFFFFFu;
    TA_SYST_CVR = 0u;
    TA_SYST_CSR = (1u << 2) | 1u;
    last_cvr = TA_SYST_CVR;
    ticks = 0u;
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    if (pcm_in < 0 || hop == NULL) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    size_t bytes = count * sizeof(float);
    size_t got = ta_semihost_read(pcm_in, hop, bytes);
    return got == bytes ? TA_PLATFORM_OK : TA_PLATFORM_END_OF_STREAM;
}

ta_platform_status_t ta_platform_emit_result(uint32_t index, int32_t label, const int8_t *scores, size_t count)
{
    static char line[16u * 260u]; /* static: a result line must not dominate the stack measurement */
    size_t len = ta_format_result(line, sizeof line, index, label, scores, count);
    if (results_out < 0 || len == 0u || ta_semihost_write(results_out, line, len) != len) {
        return TA_PLATFORM_IO_ERROR;
    }
    return TA_PLATFORM_OK;
}

void ta_platform_log(const char *line)
{
    if (console >= 0) {
        (void)ta_semihost_write(console, line, strlen(line));
        (void)ta_semihost_write(console, "\n", 1u);
    } else {
        ta_semihost_write0(line);
        ta_semihost_write0("\n");
    }
}

uint64_t ta_platform_time_us(void)
{
    /* SysTick counts down and wraps every 2^24 cycles: correct as long as this is called at least
     * once per wrap (0.67 s at 25 MHz). */
    uint32_t cvr = TA_SYST_CVR;
    ticks += (uint64_t)((last_cvr - cvr) & 0x00FFFFFFu);
    last_cvr = cvr;
    return ticks / (TA_QEMU_CPU_HZ / 1000000u);
}

uint32_t ta_platform_stack_high_water(void)
{
    return ta_qemu_stack_high_water();
}

void ta_platform_close(void)
{
    if (pcm_in >= 0) {
        (void)ta_semihost_close(pcm_in);
        pcm_in = -1;
    }
    if (results_out >= 0) {
        (void)ta_semihost_close(results_out);
        results_out = -1;
    }
}
