/* A board simulated on the host: the device loop (common/ta_board_main.c) and the serial protocol exactly
 * as on a board, with the microphone replaced by a file of int16 PCM and the serial port by stdin/stdout
 * (tests attach them to a pseudo-terminal and talk to it with the host side, tinyaudio.boards.
 * serial_protocol). Storage is RAM with NOR rules (ta_storage_ram.c); on-device learning is simulated by
 * hooks that keep labels and the head in RAM, so every protocol command can be exercised.
 *
 *   ta_board_host_sim PCM.s16
 *
 * The audio starts when the host sends AT+STREAM=1 (or 2); after the last hop the simulator prints
 * "# TA_DONE results=N" and keeps answering commands until stdin closes. */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ta_board.h"
#include "ta_board_config.h"
#include "ta_platform.h"

static FILE *pcm_file;
static uint64_t samples_read;
static int stdin_open = 1;

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return pcm_file != NULL ? TA_PLATFORM_OK : TA_PLATFORM_IO_ERROR;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    int16_t raw[1024];
    size_t done = 0;
    while (done < count) {
        size_t want = count - done < 1024u ? count - done : 1024u;
        if (fread(raw, sizeof raw[0], want, pcm_file) != want) {
            return TA_PLATFORM_END_OF_STREAM;
        }
        for (size_t i = 0; i < want; ++i) {
            hop[done + i] = (float)raw[i] * (1.0f / 32768.0f);
        }
        done += want;
    }
    samples_read += count;
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_emit_result(uint32_t index, int32_t label, const int8_t *scores, size_t count)
{
    (void)index;
    (void)label;
    (void)scores;
    (void)count;
    return TA_PLATFORM_OK;
}

void ta_platform_log(const char *line)
{
    ta_board_serial_write("# ", 2u);
    ta_board_serial_write(line, strlen(line));
    ta_board_serial_write("\n", 1u);
}

uint64_t ta_platform_time_us(void)
{
    return samples_read * 1000000u / TA_BOARD_SAMPLE_RATE;
}

uint32_t ta_platform_stack_high_water(void)
{
    return 0u;
}

void ta_platform_close(void)
{
}

size_t ta_board_serial_read(char *dst, size_t capacity)
{
    struct pollfd p = {0, POLLIN, 0};
    if (!stdin_open || poll(&p, 1, 0) <= 0) {
        return 0u;
    }
    ssize_t n = read(0, dst, capacity);
    if (n <= 0) {
        stdin_open = 0;
        return 0u;
    }
    return (size_t)n;
}

void ta_board_serial_write(const char *bytes, size_t count)
{
    while (count > 0u) {
        ssize_t n = write(1, bytes, count);
        if (n <= 0) {
            return;
        }
        bytes += n;
        count -= (size_t)n;
    }
}

/* ------------------------------------------------------------------ simulated on-device learning hooks */

static uint8_t head_store[2048];
static size_t head_length;
static uint32_t head_sequence;
static uint8_t head_buffer[2048];

static uint32_t sim_head_version(void *ctx)
{
    (void)ctx;
    return head_sequence;
}

static ta_serial_status_t sim_label_window(void *ctx, int32_t label)
{
    (void)ctx;
    char line[48];
    if (ta_board_results() == 0u) {
        return TA_SERIAL_ERR_STATE; /* no window yet */
    }
    (void)snprintf(line, sizeof line, "labelled result %u as %d", (unsigned)ta_board_results(), (int)label);
    ta_platform_log(line);
    return TA_SERIAL_OK;
}

static ta_serial_status_t sim_head_read(void *ctx, uint8_t *dst, size_t capacity, size_t *length)
{
    (void)ctx;
    if (head_length > capacity) {
        return TA_SERIAL_ERR_STORAGE;
    }
    memcpy(dst, head_store, head_length);
    *length = head_length;
    return TA_SERIAL_OK;
}

static ta_serial_status_t sim_head_write(void *ctx, const uint8_t *src, size_t length)
{
    (void)ctx;
    if (length > sizeof head_store) {
        return TA_SERIAL_ERR_STORAGE;
    }
    memcpy(head_store, src, length);
    head_length = length;
    head_sequence++;
    return TA_SERIAL_OK;
}

static void wait_for_input(int timeout_ms)
{
    struct pollfd p = {0, POLLIN, 0};
    if (stdin_open) {
        (void)poll(&p, 1, timeout_ms);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PCM.s16\n", argv[0]);
        return 2;
    }
    pcm_file = fopen(argv[1], "rb");
    if (pcm_file == NULL) {
        fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    if (ta_board_setup() != 0) {
        return 1;
    }
    const ta_serial_hooks_t hooks = {NULL, NULL, sim_head_version, sim_label_window, sim_head_read,
                                     sim_head_write};
    ta_board_set_hooks(&hooks, head_buffer, sizeof head_buffer);

    /* Commands only, until the host starts streaming. */
    while (stdin_open && ta_board_streaming() == 0) {
        char bytes[64];
        size_t n = ta_board_serial_read(bytes, sizeof bytes);
        if (n == 0u) {
            wait_for_input(50);
            continue;
        }
        /* Hand the bytes to the protocol through the loop's own path: one loop step would also read
         * audio, so feed them directly instead. */
        ta_board_feed_serial(bytes, n);
    }
    int rc = 0;
    while ((rc = ta_board_loop()) == 0) {
    }
    if (rc < 0) {
        fclose(pcm_file);
        return 1;
    }
    char line[48];
    (void)snprintf(line, sizeof line, "TA_DONE results=%u", (unsigned)ta_board_results());
    ta_platform_log(line);
    while (stdin_open) {
        char bytes[64];
        size_t n = ta_board_serial_read(bytes, sizeof bytes);
        if (n == 0u) {
            wait_for_input(50);
            continue;
        }
        ta_board_feed_serial(bytes, n);
    }
    fclose(pcm_file);
    return 0;
}
