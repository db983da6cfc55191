/* Host test of firmware/app/ta_serial_protocol.c: stdin bytes -> ta_serial_feed, answers on stdout. The
 * hooks keep labels and the head in RAM; a line "!RESULT i" on stdin emits a result with fixed scores. */
#include <stdio.h>
#include <string.h>

#include "ta_serial_protocol.h"

static uint8_t head_buffer[300];
static uint8_t stored[300];
static size_t stored_length;
static uint32_t version;

static void write_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line);
}

static uint32_t head_version(void *ctx)
{
    (void)ctx;
    return version;
}

static ta_serial_status_t label_window(void *ctx, int32_t label)
{
    (void)ctx;
    printf("# labelled %d\n", (int)label);
    return label == 2 ? TA_SERIAL_ERR_STATE : TA_SERIAL_OK;
}

static ta_serial_status_t head_read(void *ctx, uint8_t *dst, size_t capacity, size_t *length)
{
    (void)ctx;
    if (stored_length > capacity) {
        return TA_SERIAL_ERR_STORAGE;
    }
    memcpy(dst, stored, stored_length);
    *length = stored_length;
    return TA_SERIAL_OK;
}

static ta_serial_status_t head_write(void *ctx, const uint8_t *src, size_t length)
{
    (void)ctx;
    memcpy(stored, src, length);
    stored_length = length;
    version++;
    return TA_SERIAL_OK;
}

int main(int argc, char **argv)
{
    static const char *const labels[] = {"silence", "unknown", "yes", "no"};
    const ta_serial_info_t info = {"testboard", "00ff", labels, 4u, 16000u};
    const ta_serial_hooks_t hooks = {NULL, write_line, head_version, label_window, head_read, head_write};
    const ta_serial_hooks_t none = {NULL, write_line, NULL, NULL, NULL, NULL};
    static ta_serial_t s;
    int no_hooks = argc > 1 && strcmp(argv[1], "--no-hooks") == 0;
    ta_serial_init(&s, &info, no_hooks ? &none : &hooks, no_hooks ? NULL : head_buffer, sizeof head_buffer);
    char line[4096];
    while (fgets(line, sizeof line, stdin) != NULL) {
        unsigned index;
        if (sscanf(line, "!RESULT %u", &index) == 1) {
            const int8_t scores[4] = {-128, -100, 90, -128};
            ta_serial_emit_result(&s, index, index * 250u, 2, scores, 4u);
            continue;
        }
        ta_serial_feed(&s, line, strlen(line));
    }
    return 0;
}
