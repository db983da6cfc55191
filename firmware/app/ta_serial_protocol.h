/* The device side of tinyaudio's line-based serial protocol (documented in
 * python/tinyaudio/boards/PROTOCOL.md; the host side is python/tinyaudio/boards/serial_protocol.py).
 *
 * AT-style: the host sends one command per line, the device answers zero or more "+NAME: ..." lines and
 * then exactly one final line, "OK" or "ERROR: <reason>". Unsolicited lines (detections) start with
 * "+DET:" / "+SCORES:"; log lines start with "# ". Lines end with "\n" ("\r" is ignored).
 *
 * Platform independent: bytes in through ta_serial_feed(), lines out through a callback; no heap, no
 * stdio. What the protocol cannot do by itself (label the last window, read or store the learned head)
 * goes through hooks; a NULL hook answers "ERROR: unsupported".
 */
#ifndef TA_SERIAL_PROTOCOL_H
#define TA_SERIAL_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define TA_SERIAL_PROTOCOL_VERSION 1u
/* Longest line received or sent, without the newline. */
#define TA_SERIAL_LINE_MAX 200u
/* Head bytes per +HEADDATA line (two hex digits each). */
#define TA_SERIAL_HEAD_CHUNK 64u

typedef enum {
    TA_SERIAL_OK = 0,
    TA_SERIAL_ERR_UNSUPPORTED = 1, /* no hook for this command in this build */
    TA_SERIAL_ERR_ARGUMENT = 2,    /* malformed or out-of-range argument */
    TA_SERIAL_ERR_STATE = 3,       /* e.g. head data without AT+HEAD=, or nothing to label yet */
    TA_SERIAL_ERR_STORAGE = 4      /* the hook could not read or store */
} ta_serial_status_t;

typedef struct {
    void *ctx;
    /* Sends one line (no newline; the transport adds it). Required. */
    void (*write_line)(void *ctx, const char *line);
    /* Sequence number of the stored head; 0 = no learned head. NULL: reported as 0. */
    uint32_t (*head_version)(void *ctx);
    /* Labels the window of the last inference with class `label` (on-device learning). */
    ta_serial_status_t (*label_window)(void *ctx, int32_t label);
    /* Copies the stored head (the whole head file) into dst; *length = its size (0: none). */
    ta_serial_status_t (*head_read)(void *ctx, uint8_t *dst, size_t capacity, size_t *length);
    /* Stores a head received from the host (length bytes whose CRC-32 has been checked). */
    ta_serial_status_t (*head_write)(void *ctx, const uint8_t *src, size_t length);
} ta_serial_hooks_t;

typedef struct {
    const char *board;          /* registry name, e.g. "nano33ble" */
    const char *model_sha256;   /* hex digest of the model (manifest.json model_sha256) */
    const char *const *labels;  /* label names, index -> name */
    uint32_t num_labels;
    uint32_t sample_rate;
} ta_serial_info_t;

typedef struct {
    ta_serial_info_t info;
    ta_serial_hooks_t hooks;
    char line[TA_SERIAL_LINE_MAX + 1u];
    size_t length;
    uint8_t overflow;
    uint8_t streaming;          /* 0 off, 1 detections, 2 detections + raw scores */
    uint8_t upload_open;
    uint8_t *head_buffer;       /* the caller's buffer for head transfers (static, head_capacity bytes) */
    size_t head_capacity;
    size_t upload_expected;
    size_t upload_received;
    uint32_t upload_crc;
} ta_serial_t;

/* Sets up the protocol. head_buffer may be NULL (then head transfers answer "ERROR: unsupported"). */
void ta_serial_init(ta_serial_t *s, const ta_serial_info_t *info, const ta_serial_hooks_t *hooks,
                    uint8_t *head_buffer, size_t head_capacity);

/* Feeds received bytes; every complete line is executed and answered through hooks.write_line. */
void ta_serial_feed(ta_serial_t *s, const char *bytes, size_t count);

/* Streams one inference result when the host asked for it (AT+STREAM=1 or 2): "+DET: index,time_ms,
 * label,name,score" and, with AT+STREAM=2, "+SCORES: index,s0,s1,...". */
void ta_serial_emit_result(ta_serial_t *s, uint32_t index, uint32_t time_ms, int32_t label,
                           const int8_t *scores, size_t count);

/* CRC-32 (IEEE 802.3, reflected, as zlib.crc32) of count bytes, continuing from crc (0 to start). */
uint32_t ta_serial_crc32(uint32_t crc, const uint8_t *data, size_t count);

#endif /* TA_SERIAL_PROTOCOL_H */
