/* Arduino Nano 33 BLE Sense: the on-board PDM microphone through the mbed core's PDM library (nRF52840
 * PDM peripheral, hardware decimation to 16-bit PCM). The rest of the platform is mbed/ta_board_mbed.cpp.
 * Needs the Arduino mbed core (PlatformIO: nordicnrf52 / nano33ble / arduino). */
#include <Arduino.h>
#include <PDM.h>

#include "ta_board.h"
#include "ta_board_config.h"

static ta_pcm_ring_t *mic_ring;
static int16_t chunk[256];

/* PDM library callback (interrupt context): move what the peripheral produced into the ring. */
static void on_pdm_data(void)
{
    int bytes = PDM.available();
    while (bytes > 0) {
        int want = bytes < (int)sizeof chunk ? bytes : (int)sizeof chunk;
        int got = PDM.read(chunk, (size_t)want);
        if (got <= 0) {
            break;
        }
        (void)ta_pcm_ring_write(mic_ring, chunk, (uint32_t)got / 2u);
        bytes -= got;
    }
}

extern "C" int ta_board_mic_start(ta_pcm_ring_t *ring)
{
    mic_ring = ring;
    PDM.onReceive(on_pdm_data);
    /* One channel at the model's rate (the nRF52840 PDM library supports 16 kHz). */
    return PDM.begin(1, TA_BOARD_SAMPLE_RATE) ? 0 : -1;
}

extern "C" void ta_board_mic_poll(void)
{
}
