/* A board layer that does nothing, for measuring what the board-independent device image costs: linked
 * with the portable sources by `tinyaudio fit` (arm-none-eabi-gcc, --gc-sections), its flash and RAM are
 * the device loop + app core + frontend + model + serial protocol + the PCM ring the real layers own.
 * The real layers add their driver buffers and the framework (listed separately by `fit`). Never run. */
#include <stddef.h>
#include <stdint.h>

#include "ta_board.h"
#include "ta_board_config.h"
#include "ta_platform.h"

static int16_t ring_samples[TA_BOARD_PCM_RING_SAMPLES];
static ta_pcm_ring_t ring;
static volatile uint32_t serial_sink;

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return ta_pcm_ring_init(&ring, ring_samples, TA_BOARD_PCM_RING_SAMPLES) == 0 ? TA_PLATFORM_OK
                                                                                 : TA_PLATFORM_IO_ERROR;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    return ta_pcm_ring_read_float(&ring, hop, (uint32_t)count) == 0 ? TA_PLATFORM_OK
                                                                     : TA_PLATFORM_END_OF_STREAM;
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
    while (*line != '\0') {
        serial_sink += (uint8_t)*line++;
    }
}

uint64_t ta_platform_time_us(void)
{
    return 0u;
}

ta_platform_status_t ta_platform_storage_read(uint32_t offset, void *dst, size_t count)
{
    (void)offset;
    (void)dst;
    (void)count;
    return TA_PLATFORM_UNSUPPORTED;
}

ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count)
{
    (void)offset;
    (void)src;
    (void)count;
    return TA_PLATFORM_UNSUPPORTED;
}

ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count)
{
    (void)offset;
    (void)count;
    return TA_PLATFORM_UNSUPPORTED;
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
    (void)dst;
    (void)capacity;
    return 0u;
}

void ta_board_serial_write(const char *bytes, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        serial_sink += (uint8_t)bytes[i];
    }
}

int main(void)
{
    if (ta_board_setup() != 0) {
        return 1;
    }
    while (ta_board_loop() == 0) {
    }
    return 0;
}
