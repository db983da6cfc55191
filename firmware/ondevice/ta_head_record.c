/* The head record: see ta_head_record.h for the layout. Bytes are produced and consumed one position at
 * a time (record_byte / put_payload_byte), in chunks of TA_CHUNK through the caller's callbacks, so no
 * buffer of the record's size exists anywhere. */
#include "ta_head_record.h"

#include <string.h>

#include "ta_crc32.h"

#define TA_CHUNK 64u
#define TA_HDR_MAGIC 0u
#define TA_HDR_VERSION 4u
#define TA_HDR_HEADER_BYTES 6u
#define TA_HDR_MODEL 8u
#define TA_HDR_FRONTEND 40u
#define TA_HDR_SEQ 72u
#define TA_HDR_PAYLOAD_BYTES 76u
#define TA_HDR_RESERVED 80u
#define TA_HDR_CRC 84u

static const uint8_t ta_magic[4] = {'T', 'A', 'H', 'D'};

uint32_t ta_head_record_bytes(uint32_t classes, uint32_t dim)
{
    return TA_HEAD_RECORD_BYTES(classes, dim);
}

static uint32_t get_u16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint8_t byte_of(uint32_t value, uint32_t index)
{
    return (uint8_t)(value >> (8u * index));
}

static uint32_t float_bits(float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits;
}

/* Payload segment offsets of a C x D head. */
typedef struct {
    uint32_t labels, counts, bias, weights, end;
} layout_t;

static layout_t payload_layout(uint32_t classes, uint32_t dim)
{
    layout_t l;
    l.labels = TA_HEAD_RECORD_PAYLOAD_FIXED_BYTES;
    l.counts = l.labels + classes * TA_HEAD_LABEL_BYTES;
    l.bias = l.counts + 4u * classes;
    l.weights = l.bias + 4u * classes;
    l.end = l.weights + 4u * classes * dim;
    return l;
}

typedef struct {
    const ta_head_t *head;
    const ta_head_identity_t *identity;
    const uint8_t *device_id;
    uint32_t seq;
    uint32_t crc;
    layout_t layout;
} source_t;

static uint8_t payload_byte(const source_t *s, uint32_t pos)
{
    const ta_head_t *h = s->head;
    const layout_t *l = &s->layout;
    if (pos < 2u) {
        return byte_of(h->classes, pos);
    }
    if (pos < 4u) {
        return byte_of(h->dim, pos - 2u);
    }
    if (pos < 6u) {
        return byte_of(h->factory->classes, pos - 4u);
    }
    if (pos < 8u) {
        return byte_of(TA_HEAD_LABEL_BYTES, pos - 6u);
    }
    if (pos < 12u) {
        return byte_of(h->learned ? TA_HEAD_RECORD_FLAG_LEARNED : 0u, pos - 8u);
    }
    if (pos < l->labels) {
        return s->device_id[pos - 12u];
    }
    if (pos < l->counts) {
        uint32_t i = pos - l->labels;
        return (uint8_t)h->labels[i / TA_HEAD_LABEL_BYTES][i % TA_HEAD_LABEL_BYTES];
    }
    if (pos < l->bias) {
        uint32_t i = pos - l->counts;
        return byte_of(h->counts[i / 4u], i % 4u);
    }
    if (pos < l->weights) {
        uint32_t i = pos - l->bias;
        return byte_of(float_bits(h->b[i / 4u]), i % 4u);
    }
    uint32_t i = pos - l->weights;
    return byte_of(float_bits(h->w[i / 4u]), i % 4u);
}

static uint8_t record_byte(const source_t *s, uint32_t pos)
{
    if (pos >= TA_HEAD_RECORD_HEADER_BYTES) {
        return payload_byte(s, pos - TA_HEAD_RECORD_HEADER_BYTES);
    }
    if (pos < TA_HDR_VERSION) {
        return ta_magic[pos];
    }
    if (pos < TA_HDR_HEADER_BYTES) {
        return byte_of(TA_HEAD_RECORD_VERSION, pos - TA_HDR_VERSION);
    }
    if (pos < TA_HDR_MODEL) {
        return byte_of(TA_HEAD_RECORD_HEADER_BYTES, pos - TA_HDR_HEADER_BYTES);
    }
    if (pos < TA_HDR_FRONTEND) {
        return s->identity->model_sha256[pos - TA_HDR_MODEL];
    }
    if (pos < TA_HDR_SEQ) {
        return s->identity->frontend_sha256[pos - TA_HDR_FRONTEND];
    }
    if (pos < TA_HDR_PAYLOAD_BYTES) {
        return byte_of(s->seq, pos - TA_HDR_SEQ);
    }
    if (pos < TA_HDR_RESERVED) {
        return byte_of(s->layout.end, pos - TA_HDR_PAYLOAD_BYTES);
    }
    if (pos < TA_HDR_CRC) {
        return 0u;
    }
    return byte_of(s->crc, pos - TA_HDR_CRC);
}

ta_status_t ta_head_record_write(const ta_head_t *head, const ta_head_identity_t *identity, uint32_t seq,
                                 const uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES], ta_head_write_fn write,
                                 void *ctx)
{
    TA_PRECONDITION(head != NULL && identity != NULL && device_id != NULL && write != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->factory != NULL && !head->imprinting, TA_ERR_STATE);
    source_t s;
    s.head = head;
    s.identity = identity;
    s.device_id = device_id;
    s.seq = seq;
    s.crc = 0u;
    s.layout = payload_layout(head->classes, head->dim);
    const uint32_t total = TA_HEAD_RECORD_HEADER_BYTES + s.layout.end;
    uint8_t chunk[TA_CHUNK];

    /* Pass 1: the CRC over bytes 4..83 and the payload. */
    uint32_t crc = 0u;
    for (uint32_t pos = TA_HDR_VERSION; pos < total;) {
        if (pos == TA_HDR_CRC) {
            pos = TA_HEAD_RECORD_HEADER_BYTES;
            continue;
        }
        uint32_t end = pos < TA_HDR_CRC ? TA_HDR_CRC : total;
        uint32_t n = end - pos < TA_CHUNK ? end - pos : TA_CHUNK;
        for (uint32_t i = 0; i < n; ++i) {
            chunk[i] = record_byte(&s, pos + i);
        }
        crc = ta_crc32_update(crc, chunk, n);
        pos += n;
    }
    s.crc = crc;

    /* Pass 2: bytes 4.. in order, then the magic. */
    for (uint32_t pos = TA_HDR_VERSION; pos < total;) {
        uint32_t n = total - pos < TA_CHUNK ? total - pos : TA_CHUNK;
        for (uint32_t i = 0; i < n; ++i) {
            chunk[i] = record_byte(&s, pos + i);
        }
        ta_status_t st = write(ctx, pos, chunk, n);
        if (st != TA_OK) {
            return st;
        }
        pos += n;
    }
    return write(ctx, TA_HDR_MAGIC, ta_magic, sizeof ta_magic);
}

const char *ta_head_record_check_name(ta_head_record_check_t check)
{
    switch (check) {
    case TA_HEAD_RECORD_OK: return "valid";
    case TA_HEAD_RECORD_EMPTY: return "erased";
    case TA_HEAD_RECORD_BAD_MAGIC: return "no head record (bad magic)";
    case TA_HEAD_RECORD_BAD_VERSION: return "unsupported record version";
    case TA_HEAD_RECORD_BAD_LENGTH: return "inconsistent or oversized record";
    case TA_HEAD_RECORD_BAD_CRC: return "CRC mismatch (corrupt or incomplete)";
    case TA_HEAD_RECORD_WRONG_MODEL: return "head for another model";
    case TA_HEAD_RECORD_WRONG_FRONTEND: return "head for another frontend configuration";
    case TA_HEAD_RECORD_WRONG_SHAPE: return "head shape does not fit this model";
    case TA_HEAD_RECORD_IO_ERROR: return "storage read error";
    }
    return "unknown";
}

ta_head_record_check_t ta_head_record_check(ta_head_read_fn read, void *ctx, uint32_t max_bytes,
                                            ta_head_record_info_t *info)
{
    if (read == NULL || info == NULL) {
        return TA_HEAD_RECORD_IO_ERROR;
    }
    uint8_t hdr[TA_HEAD_RECORD_HEADER_BYTES];
    uint8_t fixed[TA_HEAD_RECORD_PAYLOAD_FIXED_BYTES];
    if (read(ctx, 0u, hdr, sizeof hdr) != TA_OK) {
        return TA_HEAD_RECORD_IO_ERROR;
    }
    if (memcmp(hdr, ta_magic, sizeof ta_magic) != 0) {
        uint8_t all = 0xFFu;
        for (size_t i = 0; i < sizeof hdr; ++i) {
            all &= hdr[i];
        }
        return all == 0xFFu ? TA_HEAD_RECORD_EMPTY : TA_HEAD_RECORD_BAD_MAGIC;
    }
    if (get_u16(&hdr[TA_HDR_VERSION]) != TA_HEAD_RECORD_VERSION) {
        return TA_HEAD_RECORD_BAD_VERSION;
    }
    const uint32_t payload = get_u32(&hdr[TA_HDR_PAYLOAD_BYTES]);
    if (get_u16(&hdr[TA_HDR_HEADER_BYTES]) != TA_HEAD_RECORD_HEADER_BYTES ||
        payload < TA_HEAD_RECORD_PAYLOAD_FIXED_BYTES || payload > max_bytes ||
        TA_HEAD_RECORD_HEADER_BYTES + payload > max_bytes) {
        return TA_HEAD_RECORD_BAD_LENGTH;
    }
    if (read(ctx, TA_HEAD_RECORD_HEADER_BYTES, fixed, sizeof fixed) != TA_OK) {
        return TA_HEAD_RECORD_IO_ERROR;
    }
    const uint32_t classes = get_u16(&fixed[0]);
    const uint32_t dim = get_u16(&fixed[2]);
    const uint32_t factory = get_u16(&fixed[4]);
    if (classes == 0u || dim == 0u || factory == 0u || factory > classes ||
        get_u16(&fixed[6]) != TA_HEAD_LABEL_BYTES || payload_layout(classes, dim).end != payload) {
        return TA_HEAD_RECORD_BAD_LENGTH;
    }
    uint32_t crc = ta_crc32_update(0u, &hdr[TA_HDR_VERSION], TA_HDR_CRC - TA_HDR_VERSION);
    crc = ta_crc32_update(crc, fixed, sizeof fixed);
    uint8_t chunk[TA_CHUNK];
    for (uint32_t pos = sizeof fixed; pos < payload;) {
        uint32_t n = payload - pos < TA_CHUNK ? payload - pos : TA_CHUNK;
        if (read(ctx, TA_HEAD_RECORD_HEADER_BYTES + pos, chunk, n) != TA_OK) {
            return TA_HEAD_RECORD_IO_ERROR;
        }
        crc = ta_crc32_update(crc, chunk, n);
        pos += n;
    }
    if (crc != get_u32(&hdr[TA_HDR_CRC])) {
        return TA_HEAD_RECORD_BAD_CRC;
    }
    info->version = TA_HEAD_RECORD_VERSION;
    info->seq = get_u32(&hdr[TA_HDR_SEQ]);
    info->payload_bytes = payload;
    info->classes = classes;
    info->dim = dim;
    info->factory_classes = factory;
    info->flags = get_u32(&fixed[8]);
    memcpy(info->model_sha256, &hdr[TA_HDR_MODEL], 32u);
    memcpy(info->frontend_sha256, &hdr[TA_HDR_FRONTEND], 32u);
    memcpy(info->device_id, &fixed[12], TA_HEAD_DEVICE_ID_BYTES);
    return TA_HEAD_RECORD_OK;
}

/* Stores payload byte `pos` into the head; `acc` assembles 32-bit values little-endian. */
static void put_payload_byte(ta_head_t *h, const layout_t *l, uint32_t pos, uint8_t byte, uint32_t *acc)
{
    if (pos < l->labels) {
        return; /* the fixed part was checked already */
    }
    if (pos < l->counts) {
        uint32_t i = pos - l->labels;
        h->labels[i / TA_HEAD_LABEL_BYTES][i % TA_HEAD_LABEL_BYTES] = (char)byte;
        return;
    }
    uint32_t i = pos - l->counts; /* counts, bias and weights are all 4-byte values, aligned in the payload */
    *acc |= (uint32_t)byte << (8u * (i % 4u));
    if (i % 4u != 3u) {
        return;
    }
    uint32_t value = *acc;
    *acc = 0u;
    if (pos < l->bias) {
        h->counts[(pos - l->counts) / 4u] = value;
    } else if (pos < l->weights) {
        memcpy(&h->b[(pos - l->bias) / 4u], &value, sizeof value);
    } else {
        memcpy(&h->w[(pos - l->weights) / 4u], &value, sizeof value);
    }
}

ta_head_record_check_t ta_head_record_load(ta_head_t *head, const ta_head_identity_t *identity,
                                           ta_head_read_fn read, void *ctx, uint32_t max_bytes,
                                           ta_head_record_info_t *info)
{
    if (head == NULL || identity == NULL || head->factory == NULL || info == NULL) {
        return TA_HEAD_RECORD_IO_ERROR;
    }
    ta_head_record_check_t check = ta_head_record_check(read, ctx, max_bytes, info);
    if (check != TA_HEAD_RECORD_OK) {
        return check;
    }
    if (memcmp(info->model_sha256, identity->model_sha256, 32u) != 0) {
        return TA_HEAD_RECORD_WRONG_MODEL;
    }
    if (memcmp(info->frontend_sha256, identity->frontend_sha256, 32u) != 0) {
        return TA_HEAD_RECORD_WRONG_FRONTEND;
    }
    if (info->dim != head->factory->dim || info->factory_classes != head->factory->classes ||
        info->classes > TA_HEAD_MAX_CLASSES) {
        return TA_HEAD_RECORD_WRONG_SHAPE;
    }
    (void)ta_head_reset(head);
    const layout_t l = payload_layout(info->classes, info->dim);
    uint8_t chunk[TA_CHUNK];
    uint32_t acc = 0u;
    for (uint32_t pos = l.labels; pos < l.end;) {
        uint32_t n = l.end - pos < TA_CHUNK ? l.end - pos : TA_CHUNK;
        if (read(ctx, TA_HEAD_RECORD_HEADER_BYTES + pos, chunk, n) != TA_OK) {
            (void)ta_head_reset(head);
            return TA_HEAD_RECORD_IO_ERROR;
        }
        for (uint32_t i = 0; i < n; ++i) {
            put_payload_byte(head, &l, pos + i, chunk[i], &acc);
        }
        pos += n;
    }
    for (uint32_t k = 0; k < info->classes; ++k) {
        head->labels[k][TA_HEAD_LABEL_BYTES - 1u] = '\0';
    }
    head->classes = info->classes;
    head->learned = (info->flags & TA_HEAD_RECORD_FLAG_LEARNED) != 0u ? 1u : 0u;
    return TA_HEAD_RECORD_OK;
}
