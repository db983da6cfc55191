/* ST B-L475E-IOT01A (STM32L475VG): one of the two on-board MP34DT01 PDM microphones through DFSDM1
 * (clock out on PE9, data in on PE7 = channel 2, filter 0, sinc3), circular DMA into a buffer whose halves
 * the DMA interrupts copy into the PCM ring; serial on the ST-LINK virtual COM port (`Serial`); the
 * learned head's storage on the last eight 2 KB pages of bank 2 through HAL_FLASH.
 *
 * Needs the STM32duino core with its HAL (PlatformIO: ststm32 / disco_l475vg_iot01a / arduino); the HAL
 * DFSDM and DMA modules must be enabled (they are in STM32duino's default HAL configuration unless a
 * HAL_DFSDM_MODULE_DISABLED is defined). Not part of the portable sources CI cross-compiles.
 *
 * Rate: the DFSDM output clock is the kernel clock (PCLK2, 80 MHz here) divided by an integer; the driver
 * picks the sinc3 oversampling ratio whose divider gives the PCM rate exactly with a microphone clock of
 * 1-3.25 MHz (80 MHz / 50 = 1.6 MHz, / 100 = 16 kHz). A sinc3 filter with oversampling R gains R^3; the
 * 24-bit result is scaled to int16 by that gain.
 *
 * STM32L4 flash has ECC on 64-bit double-words: each can be programmed once after an erase. The storage
 * layer ANDs new bits into erased double-words and refuses (TA_PLATFORM_UNSUPPORTED) to program one that
 * is already programmed with different bits. */
#include <Arduino.h>

#include <string.h>

#include "ta_board.h"
#include "ta_board_config.h"
#include "ta_platform.h"

#define DFSDM_HALF_SAMPLES 256u
#define STORAGE_BASE (FLASH_BASE + 0x100000u - TA_BOARD_STORAGE_RESERVED_BYTES)
#define STORAGE_FIRST_PAGE_IN_BANK2 ((STORAGE_BASE - (FLASH_BASE + 0x80000u)) / FLASH_PAGE_SIZE)

static int16_t ring_samples[TA_BOARD_PCM_RING_SAMPLES];
static ta_pcm_ring_t ring;
static DFSDM_Channel_HandleTypeDef mic_channel;
static DFSDM_Filter_HandleTypeDef mic_filter;
static DMA_HandleTypeDef mic_dma;
static int32_t dfsdm_buffer[2u * DFSDM_HALF_SAMPLES];
static int16_t pcm_half[DFSDM_HALF_SAMPLES];
static uint32_t sinc3_gain;
static uint32_t last_micros;
static uint64_t time_high;

static void copy_half(const int32_t *src)
{
    for (uint32_t i = 0; i < DFSDM_HALF_SAMPLES; ++i) {
        int64_t v = ((int64_t)(src[i] >> 8) * 32767) / (int64_t)sinc3_gain; /* 24-bit data in bits 31:8 */
        pcm_half[i] = (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
    }
    (void)ta_pcm_ring_write(&ring, pcm_half, DFSDM_HALF_SAMPLES);
}

extern "C" {

void HAL_DFSDM_FilterRegConvHalfCpltCallback(DFSDM_Filter_HandleTypeDef *hdfsdm_filter)
{
    (void)hdfsdm_filter;
    copy_half(&dfsdm_buffer[0]);
}

void HAL_DFSDM_FilterRegConvCpltCallback(DFSDM_Filter_HandleTypeDef *hdfsdm_filter)
{
    (void)hdfsdm_filter;
    copy_half(&dfsdm_buffer[DFSDM_HALF_SAMPLES]);
}

void DMA1_Channel4_IRQHandler(void)
{
    HAL_DMA_IRQHandler(&mic_dma);
}

} /* extern "C" */

static int mic_start(void)
{
    const uint32_t kernel = HAL_RCC_GetPCLK2Freq();
    uint32_t oversampling = 0;
    uint32_t divider = 0;
    for (uint32_t r = 32; r <= 128u && oversampling == 0u; ++r) {
        uint32_t pdm_clock = TA_BOARD_SAMPLE_RATE * r;
        if (kernel % pdm_clock == 0u && pdm_clock >= 1000000u && pdm_clock <= 3250000u) {
            oversampling = r;
            divider = kernel / pdm_clock;
        }
    }
    if (oversampling == 0u || divider < 2u || divider > 256u) {
        return -1; /* no exact rate from this clock tree */
    }
    sinc3_gain = oversampling * oversampling * oversampling;

    __HAL_RCC_DFSDM1_CLK_ENABLE();
    __HAL_RCC_DMA1_CLK_ENABLE();
    __HAL_RCC_GPIOE_CLK_ENABLE();
    GPIO_InitTypeDef gpio;
    memset(&gpio, 0, sizeof gpio);
    gpio.Pin = GPIO_PIN_7 | GPIO_PIN_9; /* PE7 DFSDM1_DATIN2, PE9 DFSDM1_CKOUT */
    gpio.Mode = GPIO_MODE_AF_PP;
    gpio.Pull = GPIO_NOPULL;
    gpio.Speed = GPIO_SPEED_FREQ_VERY_HIGH;
    gpio.Alternate = GPIO_AF6_DFSDM1;
    HAL_GPIO_Init(GPIOE, &gpio);

    mic_channel.Instance = DFSDM1_Channel2;
    mic_channel.Init.OutputClock.Activation = ENABLE;
    mic_channel.Init.OutputClock.Selection = DFSDM_CHANNEL_OUTPUT_CLOCK_SYSTEM;
    mic_channel.Init.OutputClock.Divider = divider;
    mic_channel.Init.Input.Multiplexer = DFSDM_CHANNEL_EXTERNAL_INPUTS;
    mic_channel.Init.Input.DataPacking = DFSDM_CHANNEL_STANDARD_MODE;
    mic_channel.Init.Input.Pins = DFSDM_CHANNEL_SAME_CHANNEL_PINS;
    mic_channel.Init.SerialInterface.Type = DFSDM_CHANNEL_SPI_RISING;
    mic_channel.Init.SerialInterface.SpiClock = DFSDM_CHANNEL_SPI_CLOCK_INTERNAL;
    mic_channel.Init.Awd.FilterOrder = DFSDM_CHANNEL_FASTSINC_ORDER;
    mic_channel.Init.Awd.Oversampling = 10;
    mic_channel.Init.Offset = 0;
    mic_channel.Init.RightBitShift = 0;
    if (HAL_DFSDM_ChannelInit(&mic_channel) != HAL_OK) {
        return -2;
    }

    mic_dma.Instance = DMA1_Channel4;
    mic_dma.Init.Request = DMA_REQUEST_0; /* DFSDM1_FLT0 on DMA1 channel 4 */
    mic_dma.Init.Direction = DMA_PERIPH_TO_MEMORY;
    mic_dma.Init.PeriphInc = DMA_PINC_DISABLE;
    mic_dma.Init.MemInc = DMA_MINC_ENABLE;
    mic_dma.Init.PeriphDataAlignment = DMA_PDATAALIGN_WORD;
    mic_dma.Init.MemDataAlignment = DMA_MDATAALIGN_WORD;
    mic_dma.Init.Mode = DMA_CIRCULAR;
    mic_dma.Init.Priority = DMA_PRIORITY_HIGH;
    if (HAL_DMA_Init(&mic_dma) != HAL_OK) {
        return -3;
    }
    __HAL_LINKDMA(&mic_filter, hdmaReg, mic_dma);
    HAL_NVIC_SetPriority(DMA1_Channel4_IRQn, 1, 0);
    HAL_NVIC_EnableIRQ(DMA1_Channel4_IRQn);

    mic_filter.Instance = DFSDM1_Filter0;
    mic_filter.Init.RegularParam.Trigger = DFSDM_FILTER_SW_TRIGGER;
    mic_filter.Init.RegularParam.FastMode = ENABLE;
    mic_filter.Init.RegularParam.DmaMode = ENABLE;
    mic_filter.Init.InjectedParam.Trigger = DFSDM_FILTER_SW_TRIGGER;
    mic_filter.Init.InjectedParam.ScanMode = DISABLE;
    mic_filter.Init.InjectedParam.DmaMode = DISABLE;
    mic_filter.Init.InjectedParam.ExtTrigger = DFSDM_FILTER_EXT_TRIG_TIM1_TRGO;
    mic_filter.Init.InjectedParam.ExtTriggerEdge = DFSDM_FILTER_EXT_TRIG_RISING_EDGE;
    mic_filter.Init.FilterParam.SincOrder = DFSDM_FILTER_SINC3_ORDER;
    mic_filter.Init.FilterParam.Oversampling = oversampling;
    mic_filter.Init.FilterParam.IntOversampling = 1;
    if (HAL_DFSDM_FilterInit(&mic_filter) != HAL_OK ||
        HAL_DFSDM_FilterConfigRegChannel(&mic_filter, DFSDM_CHANNEL_2, DFSDM_CONTINUOUS_CONV_ON) != HAL_OK) {
        return -4;
    }
    if (HAL_DFSDM_FilterRegularStart_DMA(&mic_filter, dfsdm_buffer, 2u * DFSDM_HALF_SAMPLES) != HAL_OK) {
        return -5;
    }
    return 0;
}

extern "C" {

ta_platform_status_t ta_platform_open(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (ta_pcm_ring_init(&ring, ring_samples, TA_BOARD_PCM_RING_SAMPLES) != 0) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    return mic_start() == 0 ? TA_PLATFORM_OK : TA_PLATFORM_IO_ERROR;
}

ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count)
{
    while (ta_pcm_ring_read_float(&ring, hop, (uint32_t)count) != 0) {
        __WFI(); /* the DMA interrupt wakes the core when the next half buffer is in */
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
    (void)HAL_DFSDM_FilterRegularStop_DMA(&mic_filter);
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
    return offset <= TA_PLATFORM_STORAGE_BYTES && count <= (size_t)(TA_PLATFORM_STORAGE_BYTES - offset);
}

/* One 2 KB page per logical storage sector. */
static uint32_t physical(uint32_t offset)
{
    return STORAGE_BASE + (offset / TA_PLATFORM_STORAGE_SECTOR_BYTES) * FLASH_PAGE_SIZE +
           offset % TA_PLATFORM_STORAGE_SECTOR_BYTES;
}

ta_platform_status_t ta_platform_storage_read(uint32_t offset, void *dst, size_t count)
{
    if (dst == NULL || !storage_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    uint8_t *out = static_cast<uint8_t *>(dst);
    for (size_t i = 0; i < count; ++i) {
        out[i] = *reinterpret_cast<const volatile uint8_t *>(physical(offset + (uint32_t)i));
    }
    return TA_PLATFORM_OK;
}

ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count)
{
    if (src == NULL || !storage_range(offset, count)) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    const uint8_t *in = static_cast<const uint8_t *>(src);
    ta_platform_status_t status = TA_PLATFORM_OK;
    HAL_FLASH_Unlock();
    __HAL_FLASH_CLEAR_FLAG(FLASH_FLAG_ALL_ERRORS);
    while (count > 0u && status == TA_PLATFORM_OK) {
        uint32_t addr = physical(offset);
        uint32_t dword = addr & ~7u;
        size_t skip = addr - dword;
        size_t n = 8u - skip < count ? 8u - skip : count;
        uint64_t old_value;
        memcpy(&old_value, reinterpret_cast<const void *>(dword), 8u);
        uint8_t bytes[8];
        memcpy(bytes, &old_value, 8u);
        for (size_t i = 0; i < n; ++i) {
            bytes[skip + i] &= in[i];
        }
        uint64_t new_value;
        memcpy(&new_value, bytes, 8u);
        if (new_value != old_value) {
            if (old_value != UINT64_MAX) {
                status = TA_PLATFORM_UNSUPPORTED; /* ECC: a programmed double-word cannot be reprogrammed */
            } else if (HAL_FLASH_Program(FLASH_TYPEPROGRAM_DOUBLEWORD, dword, new_value) != HAL_OK) {
                status = TA_PLATFORM_IO_ERROR;
            }
        }
        in += n;
        offset += (uint32_t)n;
        count -= n;
    }
    HAL_FLASH_Lock();
    return status;
}

ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count)
{
    if (!storage_range(offset, count) || offset % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u ||
        count % TA_PLATFORM_STORAGE_SECTOR_BYTES != 0u) {
        return TA_PLATFORM_BAD_ARGUMENT;
    }
    FLASH_EraseInitTypeDef erase;
    memset(&erase, 0, sizeof erase);
    erase.TypeErase = FLASH_TYPEERASE_PAGES;
    erase.Banks = FLASH_BANK_2;
    erase.Page = STORAGE_FIRST_PAGE_IN_BANK2 + offset / TA_PLATFORM_STORAGE_SECTOR_BYTES;
    erase.NbPages = count / TA_PLATFORM_STORAGE_SECTOR_BYTES;
    uint32_t failed_page = 0;
    HAL_FLASH_Unlock();
    __HAL_FLASH_CLEAR_FLAG(FLASH_FLAG_ALL_ERRORS);
    HAL_StatusTypeDef st = HAL_FLASHEx_Erase(&erase, &failed_page);
    HAL_FLASH_Lock();
    return st == HAL_OK ? TA_PLATFORM_OK : TA_PLATFORM_IO_ERROR;
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
