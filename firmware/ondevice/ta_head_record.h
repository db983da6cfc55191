/* The head record: one trained head as bytes, the same in a storage slot and in a HEAD.bin file on the
 * host (python/tinyaudio/ondevice/record.py reads and writes the same format). All integers and floats
 * little-endian, written byte by byte (no struct layout, no alignment).
 *
 * Header (88 bytes):
 *    0  magic "TAHD"                  4 bytes, written last: a record is valid only once complete
 *    4  format version                u16 (1)
 *    6  header bytes                  u16 (88)
 *    8  model sha256                  32 bytes (of the .tflite the backbone was compiled from)
 *   40  frontend sha256               32 bytes (of the canonical frontend-config JSON)
 *   72  sequence number               u32 (newer record = larger, compared modulo 2^32)
 *   76  payload bytes                 u32
 *   80  reserved                      u32 (0)
 *   84  CRC-32                        u32 over bytes 4..83 and the payload (ta_crc32.h)
 * Payload:
 *    0  classes C, dim D              u16, u16
 *    4  factory classes               u16
 *    6  label bytes                   u16 (16)
 *    8  flags                         u32 (bit 0: the head has learned)
 *   12  device id                     16 bytes
 *   28  labels                        C x 16 bytes, NUL-padded
 *       per-class sample counts       C x u32
 *       bias                          C x f32
 *       weights                       C x D x f32, row-major [class][dim]
 *
 * Reading and writing go through callbacks (a storage slot, a RAM buffer, a file) and a few bytes of
 * stack: a record is never held whole in RAM. */
#ifndef TA_HEAD_RECORD_H
#define TA_HEAD_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ta_head.h"
#include "ta_status.h"

#define TA_HEAD_RECORD_MAGIC_0 'T'
#define TA_HEAD_RECORD_VERSION 1u
#define TA_HEAD_RECORD_HEADER_BYTES 88u
#define TA_HEAD_RECORD_PAYLOAD_FIXED_BYTES 28u
#define TA_HEAD_RECORD_BYTES(classes, dim) \
    (TA_HEAD_RECORD_HEADER_BYTES + TA_HEAD_RECORD_PAYLOAD_FIXED_BYTES + (classes) * (TA_HEAD_LABEL_BYTES + 8u) + \
     4u * (classes) * (dim))
/* The largest record this build writes or reads. */
#define TA_HEAD_RECORD_MAX_BYTES TA_HEAD_RECORD_BYTES(TA_HEAD_MAX_CLASSES, TA_HEAD_MAX_DIM)
#define TA_HEAD_RECORD_FLAG_LEARNED 1u

/* What a record must match to be loaded. */
typedef struct {
    uint8_t model_sha256[32];
    uint8_t frontend_sha256[32];
} ta_head_identity_t;

/* The outcome of checking a record, most basic failure first. */
typedef enum {
    TA_HEAD_RECORD_OK = 0,
    TA_HEAD_RECORD_EMPTY = 1,          /* erased storage (0xFF): nothing was ever written */
    TA_HEAD_RECORD_BAD_MAGIC = 2,      /* not a head record (or a save that never completed) */
    TA_HEAD_RECORD_BAD_VERSION = 3,    /* a format version this firmware does not read */
    TA_HEAD_RECORD_BAD_LENGTH = 4,     /* sizes inconsistent or larger than this build's maximum */
    TA_HEAD_RECORD_BAD_CRC = 5,        /* corrupt or incompletely written */
    TA_HEAD_RECORD_WRONG_MODEL = 6,    /* a valid head for another model */
    TA_HEAD_RECORD_WRONG_FRONTEND = 7, /* a valid head for the same model with another frontend */
    TA_HEAD_RECORD_WRONG_SHAPE = 8,    /* embedding size or factory classes differ from this model's */
    TA_HEAD_RECORD_IO_ERROR = 9        /* the storage could not be read */
} ta_head_record_check_t;

/* Header fields of a record that passed the magic, version, length and CRC checks. */
typedef struct {
    uint32_t version;
    uint32_t seq;
    uint32_t payload_bytes;
    uint32_t classes;
    uint32_t dim;
    uint32_t factory_classes;
    uint32_t flags;
    uint8_t model_sha256[32];
    uint8_t frontend_sha256[32];
    uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES];
} ta_head_record_info_t;

/* Byte access to wherever the record lives; offsets are from the record's first byte. */
typedef ta_status_t (*ta_head_read_fn)(void *ctx, uint32_t offset, void *dst, size_t count);
typedef ta_status_t (*ta_head_write_fn)(void *ctx, uint32_t offset, const void *src, size_t count);

/* Bytes of the record of a head with `classes` x `dim`. */
uint32_t ta_head_record_bytes(uint32_t classes, uint32_t dim);

/* Writes the record of `head`: bytes 4.. first (header then payload, in order), the 4 magic bytes last,
 * so that storage interrupted at any byte holds no valid record. */
ta_status_t ta_head_record_write(const ta_head_t *head, const ta_head_identity_t *identity, uint32_t seq,
                                 const uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES], ta_head_write_fn write,
                                 void *ctx);

/* Checks magic, version, lengths (record at most max_bytes) and CRC; fills *info on TA_HEAD_RECORD_OK. */
ta_head_record_check_t ta_head_record_check(ta_head_read_fn read, void *ctx, uint32_t max_bytes,
                                            ta_head_record_info_t *info);

/* ta_head_record_check, then the identity (model, frontend) and shape (dim, factory classes, classes
 * within TA_HEAD_MAX_CLASSES) against `head`'s factory; only then are weights, bias, labels and counts
 * read into `head`. A record refused by a check leaves `head` unchanged; a read error while reading the
 * weights leaves the factory head. */
ta_head_record_check_t ta_head_record_load(ta_head_t *head, const ta_head_identity_t *identity,
                                           ta_head_read_fn read, void *ctx, uint32_t max_bytes,
                                           ta_head_record_info_t *info);

/* A short description of a check result ("valid", "erased", "CRC mismatch", ...). */
const char *ta_head_record_check_name(ta_head_record_check_t check);

#endif /* TA_HEAD_RECORD_H */
