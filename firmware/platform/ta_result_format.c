#include "ta_result_format.h"

size_t ta_format_int(char *buf, int32_t v)
{
    char digits[11];
    size_t n = 0;
    size_t len = 0;
    uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
    do {
        digits[n++] = (char)('0' + (u % 10u));
        u /= 10u;
    } while (u != 0u);
    if (v < 0) {
        buf[len++] = '-';
    }
    while (n > 0u) {
        buf[len++] = digits[--n];
    }
    buf[len] = '\0';
    return len;
}

size_t ta_format_result(char *buf, size_t size, uint32_t index, int32_t label, const int8_t *scores,
                        size_t count)
{
    char number[12];
    size_t len = 0;
    for (size_t i = 0; i < count + 2u; ++i) {
        int32_t v = i == 0u ? (int32_t)index : (i == 1u ? label : (int32_t)scores[i - 2u]);
        size_t n = ta_format_int(number, v);
        if (len + n + 2u > size) { /* number, separator/newline, NUL */
            return 0u;
        }
        for (size_t k = 0; k < n; ++k) {
            buf[len++] = number[k];
        }
        buf[len++] = i + 1u < count + 2u ? ' ' : '\n';
    }
    buf[len] = '\0';
    return len;
}
