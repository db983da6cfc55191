/* Raspberry Pi Pico (RP2040) with an external PDM microphone: a two-instruction PIO program clocks the
 * microphone and shifts its bits in, DMA moves them into a 32 KB ring of words (256 ms at 1.024 MHz),
 * and the main loop turns them into 16 kHz PCM with the CIC decimator of common/ta_pdm_cic.c while it
 * waits for samples (ta_board_mic_poll). The rest of the platform is mbed/ta_board_mbed.cpp.
 *
 * Needs the Arduino mbed core for RP2040 (PlatformIO: raspberrypi / pico / arduino), which ships the
 * pico-sdk hardware headers used here. Wiring: CLK on TA_BOARD_PDM_CLK_PIN, DATA on TA_BOARD_PDM_DATA_PIN
 * (ta_board_config.h); the data bit is sampled as CLK falls, so tie the microphone's L/R select so that
 * it drives DATA while CLK is high (check your microphone's datasheet: this differs between parts). */
#include <Arduino.h>

extern "C" {
#include "hardware/clocks.h"
#include "hardware/dma.h"
#include "hardware/pio.h"
}

#include "ta_board.h"
#include "ta_board_config.h"
#include "ta_pdm_cic.h"

#define PDM_DECIMATION 64u
#define DMA_RING_LOG2_BYTES 15u
#define DMA_RING_WORDS ((1u << DMA_RING_LOG2_BYTES) / 4u)

/* .side_set 1 ; 0: in pins, 1 side 0 ; 1: nop side 1  (nop = mov y, y) */
static const uint16_t pdm_instructions[] = {0x4001u, 0xb042u};
static const struct pio_program pdm_program = {pdm_instructions, 2, -1};

static uint32_t dma_ring[DMA_RING_WORDS] __attribute__((aligned(1u << DMA_RING_LOG2_BYTES)));
static int dma_channel = -1;
static uint32_t read_word;
static ta_pdm_cic_t cic;
static ta_pcm_ring_t *mic_ring;

static void start_dma(PIO pio, uint sm)
{
    dma_channel_config c = dma_channel_get_default_config((uint)dma_channel);
    channel_config_set_transfer_data_size(&c, DMA_SIZE_32);
    channel_config_set_read_increment(&c, false);
    channel_config_set_write_increment(&c, true);
    channel_config_set_ring(&c, true, DMA_RING_LOG2_BYTES); /* wrap the write address */
    channel_config_set_dreq(&c, pio_get_dreq(pio, sm, false));
    dma_channel_configure((uint)dma_channel, &c, dma_ring, &pio->rxf[sm], 0xFFFFFFFFu, true);
}

static PIO mic_pio = pio0;
static uint mic_sm;

extern "C" int ta_board_mic_start(ta_pcm_ring_t *ring)
{
    mic_ring = ring;
    if (ta_pdm_cic_init(&cic, PDM_DECIMATION) != 0 || !pio_can_add_program(mic_pio, &pdm_program)) {
        return -1;
    }
    uint offset = pio_add_program(mic_pio, &pdm_program);
    int sm = pio_claim_unused_sm(mic_pio, false);
    dma_channel = dma_claim_unused_channel(false);
    if (sm < 0 || dma_channel < 0) {
        return -2;
    }
    mic_sm = (uint)sm;
    pio_sm_config c = pio_get_default_sm_config();
    sm_config_set_wrap(&c, offset, offset + 1u);
    sm_config_set_sideset(&c, 1, false, false);
    sm_config_set_sideset_pins(&c, TA_BOARD_PDM_CLK_PIN);
    sm_config_set_in_pins(&c, TA_BOARD_PDM_DATA_PIN);
    sm_config_set_in_shift(&c, false, true, 32); /* shift left: the earliest bit ends up in bit 31 */
    sm_config_set_fifo_join(&c, PIO_FIFO_JOIN_RX);
    /* Two instructions per PDM clock: 16 kHz x 64 = 1.024 MHz (MEMS PDM microphones want ~1-3.25 MHz). */
    float pdm_clock = (float)TA_BOARD_SAMPLE_RATE * (float)PDM_DECIMATION;
    sm_config_set_clkdiv(&c, (float)clock_get_hz(clk_sys) / (2.0f * pdm_clock));
    pio_gpio_init(mic_pio, TA_BOARD_PDM_CLK_PIN);
    pio_gpio_init(mic_pio, TA_BOARD_PDM_DATA_PIN);
    pio_sm_set_consecutive_pindirs(mic_pio, mic_sm, TA_BOARD_PDM_CLK_PIN, 1, true);
    pio_sm_set_consecutive_pindirs(mic_pio, mic_sm, TA_BOARD_PDM_DATA_PIN, 1, false);
    pio_sm_init(mic_pio, mic_sm, offset, &c);
    start_dma(mic_pio, mic_sm);
    pio_sm_set_enabled(mic_pio, mic_sm, true);
    return 0;
}

extern "C" void ta_board_mic_poll(void)
{
    static int16_t pcm[32];
    if (dma_channel < 0) {
        return;
    }
    if (!dma_channel_is_busy((uint)dma_channel)) {
        start_dma(mic_pio, mic_sm); /* the 2^32-transfer count ran out (after ~37 hours) */
    }
    uint32_t written = (uint32_t)(dma_hw->ch[dma_channel].write_addr - (uintptr_t)dma_ring) / 4u;
    /* Two words per PCM sample: process whole pairs only. */
    while (((written - read_word) & (DMA_RING_WORDS - 1u)) >= 2u) {
        size_t n = ta_pdm_cic_process(&cic, &dma_ring[read_word], 2u, pcm);
        (void)ta_pcm_ring_write(mic_ring, pcm, (uint32_t)n);
        read_word = (read_word + 2u) & (DMA_RING_WORDS - 1u);
    }
}
