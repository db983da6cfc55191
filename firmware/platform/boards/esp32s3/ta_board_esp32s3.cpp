/* ESP32-S3-DevKitC-1 with an external I2S MEMS microphone (INMP441 class: 24-bit samples left-justified
 * in 32-bit slots, L/R select low = left slot): the ESP-IDF I2S driver in master receive mode with its
 * own DMA buffers (8 x 512 frames = 256 ms at 16 kHz), USB-UART serial, and the learned head's storage
 * in the "tinyaudio" data partition (partitions.csv) through esp_partition_*.
 *
 * Needs the Arduino-ESP32 core (PlatformIO: espressif32 / esp32-s3-devkitc-1 / arduino). The I2S calls are
 * the legacy driver/i2s.h API that Arduino-ESP32 2.x (ESP-IDF 4.4) ships; ESP-IDF 5 still builds it with a
 * deprecation warning. Not part of the portable sources that CI cross-compiles. */
#include <Arduino.h>

#include <string.h>

#include "driver/i2s.h"
#include "esp_partition.h"

#include "ta_board.h"
#include "ta_board_config.h"
#include "ta_platform.h"

#define I2S_PORT I2S_NUM_0
#define I2S_DMA_BUFFERS 8
#define I2S_DMA_FRAMES 512
#define HEAD_PARTITION_SUBTYPE 0x40

static int16_t ring_samples[TA_BOARD_PCM_RING_SAMPLES];
static ta_pcm_ring_t ring;
static const esp_partition_t *head_partition;
static int32_t raw[256];
static int16_t pcm[256];

static int mic_start(void)
{
    i2s_config_t config;
    memset(&config, 0, sizeof config);
    config.mode = (i2s_mode_t)(I2S_MODE_MASTER | I2S_MODE_RX);
    config.sample_rate = TA_BOARD_SAMPLE_RATE;
    config.bits_per_sample = I2S_BITS_PER_SAMPLE_32BIT;
    config.channel_format = I2S_CHANNEL_FMT_ONLY_LEFT;
    config.communication_format = I2S_COMM_FORMAT_STAND_I2S;
    config.intr_alloc_flags = 0;
    config.dma_buf_count = I2S_DMA_BUFFERS;
    config.dma_buf_len = I2S_DMA_FRAMES;
    config.use_apll = false;
    if (i2s_driver_install(I2S_PORT, &config, 0, NULL) != ESP_OK) {
        return -1;
    }
    i2s_pin_config_t pins;
    memset(&pins, 0, sizeof pins);
    pins.mck_io_num = I2S_PIN_NO_CHANGE;
    pins.bck_io_num = TA_BOARD_I2S_BCLK_PIN;
    pins.ws_io_num = TA_BOARD_I2S_WS_PIN;
    pins.data_out_num = I2S_PIN_NO_CHANGE;
    pins.data_in_num = TA_BOARD_I2S_DATA_PIN;
    return i2s_set_pin(I2S_PORT, &pins) == ESP_OK ? 0 : -2;
}

extern "C" {

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (ta_pcm_ring_init(&ring, ring_samples, TA_BOARD_PCM_RING_SAMPLES) != 0) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    head_partition = esp_partition_find_first(ESP_PARTITION_TYPE_DATA,
                                              (esp_partition_subtype_t)HEAD_PARTITION_SUBTYPE, "tinyaudio");
    return mic_start() == 0 ? TA_PLATFORM_OK : TA_PLATFORM_IO_ERROR;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    /* The driver's DMA buffers hold the audio that arrived during the last inference; pull it through the
     * ring, which removes the DC offset and converts to float. */
    while (ta_pcm_ring_read_float(&ring, hop, (uint32_t)count) != 0) {
        size_t bytes = 0;
        if (i2s_read(I2S_PORT, raw, sizeof raw, &bytes, portMAX_DELAY) != ESP_OK) {
            return TA_PLATFORM_IO_ERROR;
        }
        size_t n = bytes / sizeof raw[0];
        for (size_t i = 0; i < n; ++i) {
            pcm[i] = (int16_t)(raw[i] >> 16); /* 24-bit left-justified -> top 16 bits */
        }
        (void)ta_pcm_ring_write(&ring, pcm, (uint32_t)n);
    }
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
    Serial.print("# ");
    Serial.println(line);
}

uint64_t ta_platform_time_us(void)
{
    return (uint64_t)esp_timer_get_time();
}

uint32_t ta_platform_stack_high_water(void)
{
    return 0u;
}

void ta_platform_close(void)
{
    i2s_driver_uninstall(I2S_PORT);
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
    return head_partition != NULL && offset <= TA_PLATFORM_STORAGE_BYTES &&
           count <= (size_t)(TA_PLATFORM_STORAGE_BYTES - offset);
}

/* One 4 KB flash sector per logical storage sector (see mbed/ta_board_mbed.cpp for the same mapping). */
static uint32_t physical(uint32_t offset)
{
    return (offset / TA_PLATFORM_STORAGE_SECTOR_BYTES) * TA_BOARD_STORAGE_ERASE_BYTES +
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
        if (esp_partition_read(head_partition, physical(offset), out, n) != ESP_OK) {
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
    /* SPI NOR: programming only clears bits, as the interface requires (no flash encryption here). */
    if (src == NULL || !storage_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    const uint8_t *in = static_cast<const uint8_t *>(src);
    while (count > 0u) {
        size_t in_sector = TA_PLATFORM_STORAGE_SECTOR_BYTES - offset % TA_PLATFORM_STORAGE_SECTOR_BYTES;
        size_t n = count < in_sector ? count : in_sector;
        if (esp_partition_write(head_partition, physical(offset), in, n) != ESP_OK) {
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
        if (esp_partition_erase_range(head_partition, physical(offset), TA_BOARD_STORAGE_ERASE_BYTES) != ESP_OK) {
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
        static uint32_t last;
        if (millis() - last > 3000u) {
            last = millis();
            ta_platform_log("TA_ERROR setup failed; see the first lines after reset");
        }
        return;
    }
    (void)ta_board_loop();
}
