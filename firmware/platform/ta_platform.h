/* The platform interface: everything the firmware needs from the world around it.
 *
 * Each platform (host/, qemu/, later boards/) implements these functions in its own files. The
 * application core (firmware/app/ta_app.c) never includes this header: only the glue program
 * (firmware/app/ta_app_main.c) does, and it moves samples and results between the two.
 */
#ifndef TA_PLATFORM_H
#define TA_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TA_PLATFORM_OK = 0,
    TA_PLATFORM_END_OF_STREAM = 1, /* no more samples: the input ended */
    TA_PLATFORM_IO_ERROR = 2,      /* a file or device could not be read or written */
    TA_PLATFORM_BAD_ARGUMENT = 3,  /* a null pointer, a range outside storage, bad usage */
    TA_PLATFORM_UNSUPPORTED = 4
} ta_platform_status_t;

/* Bytes of non-volatile storage the platform offers (erase sets 0xFF, writes only clear bits,
 * as on NOR flash). They hold the on-device head's two slots (firmware/ondevice/ta_head_store.h): 8,192
 * bytes give two 4 KB slots, enough for 16 classes x an embedding of up to 56 values; the host and QEMU
 * adapt builds set 18,432 (two 9 KB slots: 16 classes x 128 values). A head that does not fit stops the
 * build (#error in ta_head_store.h). */
#ifndef TA_PLATFORM_STORAGE_BYTES
#define TA_PLATFORM_STORAGE_BYTES 8192u
#endif
#ifndef TA_PLATFORM_STORAGE_SECTOR_BYTES
#define TA_PLATFORM_STORAGE_SECTOR_BYTES 1024u
#endif

/* Opens the sample source and the result sink. argv[1] = PCM input, argv[2] = result output
 * on the host and QEMU platforms (file names; under QEMU they pass through semihosting). */
ta_platform_status_t ta_platform_open(int argc, char **argv);

/* Reads exactly `count` float32 samples in [-1, 1] (one hop, as a microphone driver would deliver
 * them). Returns TA_PLATFORM_END_OF_STREAM when fewer than `count` samples are left. */
ta_platform_status_t ta_platform_read_pcm(float *hop, size_t count);

/* Emits the result of one inference: the index of the clip/window, the winning label index and
 * the raw int8 scores. */
ta_platform_status_t ta_platform_emit_result(uint32_t index, int32_t label, const int8_t *scores,
                                             size_t count);

/* Writes one line of text to the console (the line should not end with a newline). */
void ta_platform_log(const char *line);

/* Monotonic time in microseconds since ta_platform_open (wraps after ~584,000 years). */
uint64_t ta_platform_time_us(void);

/* Non-volatile storage, addressed from 0 to TA_PLATFORM_STORAGE_BYTES. */
ta_platform_status_t ta_platform_storage_read(uint32_t offset, void *dst, size_t count);
ta_platform_status_t ta_platform_storage_write(uint32_t offset, const void *src, size_t count);
ta_platform_status_t ta_platform_storage_erase(uint32_t offset, size_t count); /* whole sectors */

/* Deepest stack use so far in bytes, from stack painting; 0 where the platform cannot tell. */
uint32_t ta_platform_stack_high_water(void);

/* Flushes and closes input/output. */
void ta_platform_close(void);

#endif /* TA_PLATFORM_H */
