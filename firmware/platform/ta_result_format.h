/* The text line a platform writes per result, shared so host and QEMU outputs are byte-identical:
 *   "<index> <label> <score0> <score1> ...\n"
 * python/tinyaudio/emulate/results.py parses it. */
#ifndef TA_RESULT_FORMAT_H
#define TA_RESULT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Formats into buf (size bytes); returns the length written, or 0 if buf is too small. */
size_t ta_format_result(char *buf, size_t size, uint32_t index, int32_t label, const int8_t *scores,
                        size_t count);

/* Decimal text of v into buf (at least 12 bytes); returns the length. */
size_t ta_format_int(char *buf, int32_t v);

#endif /* TA_RESULT_FORMAT_H */
