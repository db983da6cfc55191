/* Two-slot (A/B) persistence of the head in the platform's non-volatile storage (ta_platform.h: NOR
 * rules, erase sets whole sectors to 0xFF, a write only clears bits).
 *
 *   slot A: [0, TA_HEAD_STORE_SLOT_BYTES)   slot B: [TA_HEAD_STORE_SLOT_BYTES, 2 x TA_HEAD_STORE_SLOT_BYTES)
 *
 * Boot (ta_head_store_boot) checks both slots and loads the valid record with the larger sequence number
 * among those made for this model and frontend (ta_head_record_load); with none, the head stays the
 * factory head. A save (ta_head_store_save) erases the slot that does not hold the loaded record, writes
 * the record with the next sequence number (magic last) and reads it back: until its last byte is
 * written the other slot is untouched and the new one invalid, so a power cut at any moment leaves the old
 * head or the new one, never garbage and never nothing. */
#ifndef TA_HEAD_STORE_H
#define TA_HEAD_STORE_H

#include <stdint.h>

#include "ta_head.h"
#include "ta_head_record.h"
#include "ta_platform.h"
#include "ta_status.h"

/* Half the storage, whole sectors. */
#define TA_HEAD_STORE_SLOT_BYTES \
    ((TA_PLATFORM_STORAGE_BYTES / 2u) / TA_PLATFORM_STORAGE_SECTOR_BYTES * TA_PLATFORM_STORAGE_SECTOR_BYTES)

#if TA_HEAD_RECORD_MAX_BYTES > TA_HEAD_STORE_SLOT_BYTES
#error "the largest head record does not fit a storage slot: raise TA_PLATFORM_STORAGE_BYTES or lower TA_HEAD_MAX_CLASSES / TA_HEAD_MAX_DIM"
#endif

#define TA_HEAD_STORE_NONE (-1)

typedef struct {
    int32_t active;                        /* slot the head was loaded from or last saved to, or NONE */
    uint32_t seq;                          /* its sequence number */
    uint32_t next_seq;                     /* the next save's sequence number */
    ta_head_record_check_t check[2];       /* what boot found in each slot */
    ta_head_record_info_t info[2];         /* header of each slot that passed the CRC */
    uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES];
} ta_head_store_t;

/* Checks both slots and loads the newest matching record into `head` (which must be initialized; it is
 * left as the factory head when no slot qualifies). store->check[] tells what each slot held (a slot
 * with WRONG_MODEL / WRONG_FRONTEND / WRONG_SHAPE was refused). `device_id` names this device in
 * the records it saves. */
ta_status_t ta_head_store_boot(ta_head_store_t *store, ta_head_t *head, const ta_head_identity_t *identity,
                               const uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES]);

/* Saves `head` to the slot that does not hold the active record. TA_ERR_IO when storage fails or the
 * read-back check does not pass (the previous record then stays the active one). */
ta_status_t ta_head_store_save(ta_head_store_t *store, const ta_head_t *head, const ta_head_identity_t *identity);

/* Erases both slots (the next boot starts from the factory head). */
ta_status_t ta_head_store_erase(ta_head_store_t *store);

#endif /* TA_HEAD_STORE_H */
