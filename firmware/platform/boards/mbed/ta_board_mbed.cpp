/* Platform layer shared by the boards that run the Arduino mbed core (Nano 33 BLE Sense, Raspberry Pi
 * Pico): Arduino setup()/loop() glue, USB CDC serial, time, the PCM ring the board's microphone driver
 * fills (ta_board_mic_start), and the head storage on the last flash pages through mbed::FlashIAP.
 *
 * Needs the Arduino mbed core (PlatformIO: framework = arduino on nordicnrf52 / raspberrypi); not part of
 * the portable sources that CI cross-compiles.
 *
 * Storage mapping: ta_platform.h's logical sectors (TA_PLATFORM_STORAGE_SECTOR_BYTES) each take the start
 * of one physical erase unit (TA_BOARD_STORAGE_ERASE_BYTES) in the last TA_BOARD_STORAGE_RESERVED_BYTES of
 * flash, so erasing a logical sector never touches another. Writes are read-modify-write per program
 * unit, AND-ing the new bytes in (NOR rules); nRF52840 allows each 32-bit word to be written twice
 * between erases (its nWRITE limit), so a head writer should not rewrite a word more often. */
#include <Arduino.h>
#include <mbed.h>

#include <string.h>

#include "ta_board.h"
#include "ta_board_config.h"
#include "ta_platform.h"

#if TA_BOARD_STORAGE_RESERVED_BYTES < (TA_PLATFORM_STORAGE_BYTES / TA_PLATFORM_STORAGE_SECTOR_BYTES) * TA_BOARD_STORAGE_ERASE_BYTES
#error "not enough reserved flash for one erase unit per logical storage sector"
#endif

static int16_t ring_samples[TA_BOARD_PCM_RING_SAMPLES];
static ta_pcm_ring_t ring;
static mbed::FlashIAP flash;
static uint32_t flash_base;
static uint32_t flash_program_unit;
static uint8_t flash_ready;
static uint8_t page_buffer[256];
static uint32_t last_micros;
static uint64_t time_high;

extern "C" {

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (ta_pcm_ring_init(&ring, ring_samples, TA_BOARD_PCM_RING_SAMPLES) != 0) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    if (flash.init() == 0) {
        flash_base = flash.get_flash_start() + flash.get_flash_size() - TA_BOARD_STORAGE_RESERVED_BYTES;
        flash_program_unit = flash.get_page_size();
        flash_ready = flash_program_unit <= sizeof page_buffer &&
                      flash.get_sector_size(flash_base) <= TA_BOARD_STORAGE_ERASE_BYTES;
    }
    return ta_board_mic_start(&ring) == 0 ? TA_PLATFORM_OK : TA_PLATFORM_IO_ERROR;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    while (ta_pcm_ring_read_float(&ring, hop, (uint32_t)count) != 0) {
        ta_board_mic_poll();
        if (ta_pcm_ring_available(&ring) < count) {
            delay(1);
        }
    }
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_emit_result(uint32_t index, int32_t label, const int8_t *scores, size_t count)
{
    (void)index;
    (void)label;
    (void)scores;
    (void)count;
    return TA_PLATFORM_OK; /* results go out through the serial protocol */
}

void ta_platform_log(const char *line)
{
    Serial.print("# ");
    Serial.println(line);
}

uint64_t ta_platform_time_us(void)
{
    uint32_t now = micros();
    if (now < last_micros) {
        time_high += (uint64_t)1 << 32;
    }
    last_micros = now;
    return time_high | now;
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
    size_t n = 0;
    while (n < capacity && Serial.available() > 0) {
        dst[n++] = (char)Serial.read();
    }
    return n;
}

void ta_board_serial_write(const char *bytes, size_t count)
{
    Serial.write(reinterpret_cast<const uint8_t *>(bytes), count);
}

static int storage_range(uint32_t offset, size_t count)
{
    return flash_ready && offset <= TA_PLATFORM_STORAGE_BYTES &&
           count <= (size_t)(TA_PLATFORM_STORAGE_BYTES - offset);
}

/* Physical address of a logical storage offset. */
static uint32_t physical(uint32_t offset)
{
    return flash_base + (offset / TA_PLATFORM_STORAGE_SECTOR_BYTES) * TA_BOARD_STORAGE_ERASE_BYTES +
           offset % TA_PLATFORM_STORAGE_SECTOR_BYTES;
}

ta_platform_status_t ta_platform_storage_read(uint32_t offset, void *dst, size_t count)
{
    if (dst == NULL || !storage_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    uint8_t *out = static_cast<uint8_t *>(dst);
    while (count > 0u) {
        size_t in_sector = TA_PLATFORM_STORAGE_SECTOR_BYTES - offset % TA_PLATFORM_STORAGE_SECTOR_BYTES;
        size_t n = count < in_sector ? count : in_sector;
        if (flash.read(out, physical(offset), (uint32_t)n) != 0) {
            return TA_PLATFORM_IO_ERROR;
        }
        out += n;
        offset += (uint32_t)n;
        count -= n;
    }
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count)
{
    if (src == NULL || !storage_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    const uint8_t *in = static_cast<const uint8_t *>(src);
    while (count > 0u) {
        uint32_t addr = physical(offset);
        uint32_t unit = addr - addr % flash_program_unit;
        size_t skip = addr - unit;
        size_t n = flash_program_unit - skip;
        size_t in_sector = TA_PLATFORM_STORAGE_SECTOR_BYTES - offset % TA_PLATFORM_STORAGE_SECTOR_BYTES;
        n = n < count ? n : count;
        n = n < in_sector ? n : in_sector;
        if (flash.read(page_buffer, unit, flash_program_unit) != 0) {
            return TA_PLATFORM_IO_ERROR;
        }
        for (size_t i = 0; i < n; ++i) {
            page_buffer[skip + i] &= in[i]; /* NOR rules: a write only clears bits */
        }
        if (flash.program(page_buffer, unit, flash_program_unit) != 0) {
            return TA_PLATFORM_IO_ERROR;
        }
        in += n;
        offset += (uint32_t)n;
        count -= n;
    }
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count)
{
    if (!storage_range(offset, count) || offset % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u ||
        count % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    for (; count > 0u; count -= TA_PLATFORM_STORAGE_SECTOR_BYTES, offset += TA_PLATFORM_STORAGE_SECTOR_BYTES) {
        if (flash.erase(physical(offset), TA_BOARD_STORAGE_ERASE_BYTES) != 0) {
            return TA_PLATFORM_IO_ERROR;
        }
    }
    return TA_PLATFORM_OK;
}

} /* extern "C" */

static int setup_status = -1;

void setup()
{
    Serial.begin(TA_BOARD_SERIAL_BAUD);
    setup_status = ta_board_setup();
}

void loop()
{
    if (setup_status != 0) {
        /* Report the failure every few seconds so a monitor opened later still sees it. */
        static uint32_t last;
        if (millis() - last > 3000u) {
            last = millis();
            ta_platform_log("TA_ERROR setup failed; see the first lines after reset");
        }
        return;
    }
    (void)ta_board_loop();
}
