/* Device side of the serial protocol: line assembly, command parsing, answers. See ta_serial_protocol.h
 * and python/tinyaudio/boards/PROTOCOL.md. */
#include "ta_serial_protocol.h"

#include <string.h>

/* ------------------------------------------------------------------ output line builder (no stdio) */

typedef struct {
    char text[TA_SERIAL_LINE_MAX + 1u];
    size_t length;
} line_t;

static void put_text(line_t *l, const char *text)
{
    while (*text != '\0' && l->length < TA_SERIAL_LINE_MAX) {
        l->text[l->length++] = *text++;
    }
    l->text[l->length] = '\0';
}

static void put_uint(line_t *l, uint32_t v)
{
    char digits[10];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    while (n > 0u && l->length < TA_SERIAL_LINE_MAX) {
        l->text[l->length++] = digits[--n];
    }
    l->text[l->length] = '\0';
}

static void put_int(line_t *l, int32_t v)
{
    if (v < 0) {
        put_text(l, "-");
        put_uint(l, (uint32_t)(-(v + 1)) + 1u); /* no overflow for INT32_MIN */
    } else {
        put_uint(l, (uint32_t)v);
    }
}

static const char hex_digits[] = "0123456789abcdef";

static void put_hex32(line_t *l, uint32_t v)
{
    for (int shift = 28; shift >= 0 && l->length < TA_SERIAL_LINE_MAX; shift -= 4) {
        l->text[l->length++] = hex_digits[(v >> shift) & 0xFu];
    }
    l->text[l->length] = '\0';
}

static void put_hex_bytes(line_t *l, const uint8_t *bytes, size_t count)
{
    for (size_t i = 0; i < count && l->length + 2u <= TA_SERIAL_LINE_MAX; ++i) {
        l->text[l->length++] = hex_digits[bytes[i] >> 4];
        l->text[l->length++] = hex_digits[bytes[i] & 0xFu];
    }
    l->text[l->length] = '\0';
}

static void line_start(line_t *l, const char *prefix)
{
    l->length = 0;
    l->text[0] = '\0';
    put_text(l, prefix);
}

static void send(ta_serial_t *s, const line_t *l)
{
    s->hooks.write_line(s->hooks.ctx, l->text);
}

static void send_text(ta_serial_t *s, const char *text)
{
    line_t l;
    line_start(&l, text);
    send(s, &l);
}

static void send_error(ta_serial_t *s, const char *reason)
{
    line_t l;
    line_start(&l, "ERROR: ");
    put_text(&l, reason);
    send(s, &l);
}

static void send_status(ta_serial_t *s, ta_serial_status_t st)
{
    switch (st) {
    case TA_SERIAL_OK:
        send_text(s, "OK");
        break;
    case TA_SERIAL_ERR_UNSUPPORTED:
        send_error(s, "unsupported");
        break;
    case TA_SERIAL_ERR_ARGUMENT:
        send_error(s, "bad argument");
        break;
    case TA_SERIAL_ERR_STATE:
        send_error(s, "wrong state");
        break;
    default:
        send_error(s, "storage");
        break;
    }
}

/* ------------------------------------------------------------------------------------------ parsing */

/* Decimal number of at most 9 digits from *p; advances *p. Returns 0 on success. */
static int parse_uint(const char **p, uint32_t *out)
{
    const char *c = *p;
    uint32_t v = 0;
    size_t n = 0;
    while (*c >= '0' && *c <= '9') {
        if (++n > 9u) {
            return -1;
        }
        v = v * 10u + (uint32_t)(*c - '0');
        ++c;
    }
    if (n == 0u) {
        return -1;
    }
    *p = c;
    *out = v;
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int parse_hex32(const char **p, uint32_t *out)
{
    const char *c = *p;
    uint32_t v = 0;
    size_t n = 0;
    int d;
    while ((d = hex_value(*c)) >= 0) {
        if (++n > 8u) {
            return -1;
        }
        v = (v << 4) | (uint32_t)d;
        ++c;
    }
    if (n == 0u) {
        return -1;
    }
    *p = c;
    *out = v;
    return 0;
}

/* "rest" equals "" (end of line). */
static int at_end(const char *rest)
{
    return *rest == '\0';
}

uint32_t ta_serial_crc32(uint32_t crc, const uint8_t *data, size_t count)
{
    crc = ~crc;
    for (size_t i = 0; i < count; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

/* ----------------------------------------------------------------------------------------- commands */

static void cmd_info(ta_serial_t *s)
{
    line_t l;
    line_start(&l, "+INFO: proto=");
    put_uint(&l, TA_SERIAL_PROTOCOL_VERSION);
    put_text(&l, ",board=");
    put_text(&l, s->info.board);
    put_text(&l, ",model=");
    put_text(&l, s->info.model_sha256);
    put_text(&l, ",labels=");
    put_uint(&l, s->info.num_labels);
    put_text(&l, ",head=");
    put_uint(&l, s->hooks.head_version != NULL ? s->hooks.head_version(s->hooks.ctx) : 0u);
    put_text(&l, ",rate=");
    put_uint(&l, s->info.sample_rate);
    send(s, &l);
    send_text(s, "OK");
}

static void cmd_labels(ta_serial_t *s)
{
    for (uint32_t i = 0; i < s->info.num_labels; ++i) {
        line_t l;
        line_start(&l, "+LABEL: ");
        put_uint(&l, i);
        put_text(&l, ",");
        put_text(&l, s->info.labels[i]);
        send(s, &l);
    }
    send_text(s, "OK");
}

static void cmd_stream(ta_serial_t *s, const char *arg)
{
    uint32_t mode;
    if (strcmp(arg, "?") == 0) {
        line_t l;
        line_start(&l, "+STREAM: ");
        put_uint(&l, s->streaming);
        send(s, &l);
        send_text(s, "OK");
        return;
    }
    if (*arg != '=' || (++arg, parse_uint(&arg, &mode)) != 0 || !at_end(arg) || mode > 2u) {
        send_error(s, "AT+STREAM=0|1|2");
        return;
    }
    s->streaming = (uint8_t)mode;
    send_text(s, "OK");
}

static void cmd_label(ta_serial_t *s, const char *arg)
{
    uint32_t label;
    if (*arg != '=' || (++arg, parse_uint(&arg, &label)) != 0 || !at_end(arg) ||
        label >= s->info.num_labels) {
        send_error(s, "AT+LABEL=<label index below the number of labels>");
        return;
    }
    if (s->hooks.label_window == NULL) {
        send_status(s, TA_SERIAL_ERR_UNSUPPORTED);
        return;
    }
    send_status(s, s->hooks.label_window(s->hooks.ctx, (int32_t)label));
}

static void cmd_head_query(ta_serial_t *s)
{
    size_t length = 0;
    if (s->hooks.head_read == NULL || s->head_buffer == NULL) {
        send_status(s, TA_SERIAL_ERR_UNSUPPORTED);
        return;
    }
    ta_serial_status_t st = s->hooks.head_read(s->hooks.ctx, s->head_buffer, s->head_capacity, &length);
    if (st != TA_SERIAL_OK || length > s->head_capacity) {
        send_status(s, st != TA_SERIAL_OK ? st : TA_SERIAL_ERR_STORAGE);
        return;
    }
    line_t l;
    line_start(&l, "+HEAD: ");
    put_uint(&l, s->hooks.head_version != NULL ? s->hooks.head_version(s->hooks.ctx) : 0u);
    put_text(&l, ",");
    put_uint(&l, (uint32_t)length);
    put_text(&l, ",");
    put_hex32(&l, ta_serial_crc32(0u, s->head_buffer, length));
    send(s, &l);
    for (size_t off = 0; off < length; off += TA_SERIAL_HEAD_CHUNK) {
        size_t n = length - off < TA_SERIAL_HEAD_CHUNK ? length - off : TA_SERIAL_HEAD_CHUNK;
        line_start(&l, "+HEADDATA: ");
        put_uint(&l, (uint32_t)off);
        put_text(&l, ",");
        put_hex_bytes(&l, &s->head_buffer[off], n);
        send(s, &l);
    }
    send_text(s, "OK");
}

/* AT+HEAD=<length>,<crc32 hex>: starts an upload. */
static void cmd_head_begin(ta_serial_t *s, const char *arg)
{
    uint32_t length;
    uint32_t crc;
    if (s->hooks.head_write == NULL || s->head_buffer == NULL) {
        send_status(s, TA_SERIAL_ERR_UNSUPPORTED);
        return;
    }
    if (parse_uint(&arg, &length) != 0 || *arg++ != ',' || parse_hex32(&arg, &crc) != 0 || !at_end(arg) ||
        length == 0u) {
        send_error(s, "AT+HEAD=<length>,<crc32 hex>");
        return;
    }
    if (length > s->head_capacity) {
        send_error(s, "head larger than the device's buffer");
        return;
    }
    s->upload_open = 1u;
    s->upload_expected = length;
    s->upload_received = 0u;
    s->upload_crc = crc;
    send_text(s, "OK");
}

/* AT+HEADDATA=<offset>,<hex bytes>: the next chunk, in order. */
static void cmd_head_data(ta_serial_t *s, const char *arg)
{
    uint32_t offset;
    if (!s->upload_open) {
        send_error(s, "no upload in progress (AT+HEAD=<length>,<crc32> first)");
        return;
    }
    if (parse_uint(&arg, &offset) != 0 || *arg++ != ',') {
        send_error(s, "AT+HEADDATA=<offset>,<hex bytes>");
        return;
    }
    if (offset != s->upload_received) {
        send_error(s, "chunk out of order");
        return;
    }
    size_t digits = strlen(arg);
    if (digits == 0u || digits % 2u != 0u || s->upload_received + digits / 2u > s->upload_expected) {
        send_error(s, "chunk length");
        return;
    }
    for (size_t i = 0; i < digits; i += 2u) {
        int hi = hex_value(arg[i]);
        int lo = hex_value(arg[i + 1u]);
        if (hi < 0 || lo < 0) {
            send_error(s, "not hex");
            return;
        }
        s->head_buffer[s->upload_received + i / 2u] = (uint8_t)((hi << 4) | lo);
    }
    s->upload_received += digits / 2u;
    send_text(s, "OK");
}

static void cmd_head_end(ta_serial_t *s)
{
    if (!s->upload_open) {
        send_error(s, "no upload in progress");
        return;
    }
    s->upload_open = 0u;
    if (s->upload_received != s->upload_expected) {
        send_error(s, "head incomplete");
        return;
    }
    if (ta_serial_crc32(0u, s->head_buffer, s->upload_received) != s->upload_crc) {
        send_error(s, "crc mismatch");
        return;
    }
    send_status(s, s->hooks.head_write(s->hooks.ctx, s->head_buffer, s->upload_received));
}

/* Executes one complete line (NUL-terminated, without newline). */
static void execute(ta_serial_t *s, const char *line)
{
    if (*line == '\0') {
        return; /* blank lines are ignored */
    }
    if (strncmp(line, "AT", 2) != 0) {
        send_error(s, "unknown command");
        return;
    }
    const char *cmd = line + 2;
    if (*cmd == '\0') {
        send_text(s, "OK");
    } else if (strcmp(cmd, "+INFO?") == 0) {
        cmd_info(s);
    } else if (strcmp(cmd, "+LABELS?") == 0) {
        cmd_labels(s);
    } else if (strncmp(cmd, "+STREAM", 7) == 0) {
        cmd_stream(s, cmd + 7);
    } else if (strncmp(cmd, "+LABEL", 6) == 0 && (cmd[6] == '=' || cmd[6] == '\0')) {
        cmd_label(s, cmd + 6);
    } else if (strcmp(cmd, "+HEAD?") == 0) {
        cmd_head_query(s);
    } else if (strncmp(cmd, "+HEAD=", 6) == 0) {
        cmd_head_begin(s, cmd + 6);
    } else if (strncmp(cmd, "+HEADDATA=", 10) == 0) {
        cmd_head_data(s, cmd + 10);
    } else if (strcmp(cmd, "+HEADEND") == 0) {
        cmd_head_end(s);
    } else {
        send_error(s, "unknown command");
    }
}

/* --------------------------------------------------------------------------------------- public API */

void ta_serial_init(ta_serial_t *s, const ta_serial_info_t *info, const ta_serial_hooks_t *hooks,
                    uint8_t *head_buffer, size_t head_capacity)
{
    memset(s, 0, sizeof *s);
    s->info = *info;
    s->hooks = *hooks;
    s->head_buffer = head_buffer;
    s->head_capacity = head_buffer != NULL ? head_capacity : 0u;
}

void ta_serial_feed(ta_serial_t *s, const char *bytes, size_t count)
{
    for (size_t i = 0; i < count; ++i) {
        char c = bytes[i];
        if (c == '\r') {
            continue;
        }
        if (c == '\n') {
            s->line[s->length] = '\0';
            if (s->overflow) {
                send_error(s, "line too long");
            } else {
                execute(s, s->line);
            }
            s->length = 0;
            s->overflow = 0u;
        } else if (s->length < TA_SERIAL_LINE_MAX) {
            s->line[s->length++] = c;
        } else {
            s->overflow = 1u;
        }
    }
}

void ta_serial_emit_result(ta_serial_t *s, uint32_t index, uint32_t time_ms, int32_t label,
                           const int8_t *scores, size_t count)
{
    if (s->streaming == 0u) {
        return;
    }
    line_t l;
    line_start(&l, "+DET: ");
    put_uint(&l, index);
    put_text(&l, ",");
    put_uint(&l, time_ms);
    put_text(&l, ",");
    put_int(&l, label);
    put_text(&l, ",");
    put_text(&l, label >= 0 && (uint32_t)label < s->info.num_labels ? s->info.labels[label] : "?");
    put_text(&l, ",");
    put_int(&l, label >= 0 && (size_t)label < count ? scores[label] : 0);
    send(s, &l);
    if (s->streaming == 2u) {
        line_start(&l, "+SCORES: ");
        put_uint(&l, index);
        for (size_t i = 0; i < count; ++i) {
            put_text(&l, ",");
            put_int(&l, scores[i]);
        }
        send(s, &l);
    }
}
