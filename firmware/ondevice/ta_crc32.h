/* CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF), the one
 * zlib.crc32 and the PNG/ZIP formats use, so a head record can be checked with Python's standard library.
 *
 *   uint32_t crc = ta_crc32_update(0u, a, na);   crc = ta_crc32_update(crc, b, nb);   -> crc of a||b
 *
 * A 16-entry table (64 bytes of flash), two lookups per byte. */
#ifndef TA_CRC32_H
#define TA_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC of the bytes seen so far (`crc`, 0 to start) extended by `count` more. NULL with count 0 is fine. */
uint32_t ta_crc32_update(uint32_t crc, const void *data, size_t count);

#endif /* TA_CRC32_H */
