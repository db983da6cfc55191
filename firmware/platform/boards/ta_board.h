/* What a board layer provides beyond ta_platform.h, and the two entry points of the board-independent
 * device loop (common/ta_board_main.c) that the framework glue calls.
 *
 * A board layer (firmware/platform/boards/<board>/) implements ta_platform.h (microphone -> read_pcm,
 * flash pages -> storage, time, log) and the serial functions below, and calls ta_board_setup() once and
 * ta_board_loop() forever (Arduino setup()/loop(), or its own main()). Everything else on the device is
 * platform independent and cross-compiled in CI for every Cortex-M core the registry lists.
 *
 * Per-project settings (model hash, board name, stride, ring size, pins) come from ta_board_config.h,
 * which `tinyaudio firmware` generates next to model.h.
 */
#ifndef TA_BOARD_H
#define TA_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "ta_pcm_ring.h"
#include "ta_serial_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes the serial port has received, without waiting: copies at most `capacity`, returns the count. */
size_t ta_board_serial_read(char *dst, size_t capacity);

/* Sends bytes on the serial port (waits until they are queued). */
void ta_board_serial_write(const char *bytes, size_t count);

/* Opens the microphone, the serial port and storage, initializes the model and the app core, and prints
 * "+READY: ..." on the serial port. Returns 0, or a negative status on failure (reported as "# ..."). */
int ta_board_setup(void);

/* One step: executes received serial commands, reads one hop of PCM (waits for it), runs the frontend
 * and, every TA_BOARD_STRIDE_FRAMES frames, the model; streams results when the host asked for them.
 * Returns 0 to be called again, 1 when the input ended (host simulation only), negative on failure. */
int ta_board_loop(void);

/* Installs the on-device learning hooks (label the last window, read/store the head) and the buffer
 * head transfers use. Without this call those commands answer "ERROR: unsupported". */
void ta_board_set_hooks(const ta_serial_hooks_t *hooks, uint8_t *head_buffer, size_t head_capacity);

/* Executes received serial bytes outside the loop (e.g. while waiting for audio to start). */
void ta_board_feed_serial(const char *bytes, size_t count);

/* Inference results so far. */
uint32_t ta_board_results(void);

/* The host's streaming choice (AT+STREAM=): 0 off, 1 detections, 2 detections + scores. */
int ta_board_streaming(void);

/* ---- Inside a board layer built on a shared framework layer (mbed/: nano33ble, pico) ----
 * The board's microphone driver: starts delivering int16 PCM at TA_BOARD_SAMPLE_RATE into `ring`
 * (from an interrupt or DMA callback). Returns 0, or a negative value if the microphone cannot start. */
int ta_board_mic_start(ta_pcm_ring_t *ring);

/* Called by the framework layer while it waits for samples: moves what the hardware captured into the
 * ring (drivers that fill the ring from an interrupt do nothing here). */
void ta_board_mic_poll(void);

#ifdef __cplusplus
}
#endif

#endif /* TA_BOARD_H */
