/* A/B head slots over the platform storage: see ta_head_store.h. */
#include "ta_head_store.h"

#include <string.h>

static ta_status_t slot_read(void *ctx, uint32_t offset, void *dst, size_t count)
{
    const uint32_t base = *(const uint32_t *)ctx;
    if (offset > TA_HEAD_STORE_SLOT_BYTES || count > TA_HEAD_STORE_SLOT_BYTES - offset) {
        return TA_ERR_PARAM;
    }
    return ta_platform_storage_read(base + offset, dst, count) == TA_PLATFORM_OK ? TA_OK : TA_ERR_IO;
}

static ta_status_t slot_write(void *ctx, uint32_t offset, const void *src, size_t count)
{
    const uint32_t base = *(const uint32_t *)ctx;
    if (offset > TA_HEAD_STORE_SLOT_BYTES || count > TA_HEAD_STORE_SLOT_BYTES - offset) {
        return TA_ERR_PARAM;
    }
    return ta_platform_storage_write(base + offset, src, count) == TA_PLATFORM_OK ? TA_OK : TA_ERR_IO;
}

static uint32_t slot_base(int32_t slot)
{
    return (uint32_t)slot * TA_HEAD_STORE_SLOT_BYTES;
}

/* a is newer than b (sequence numbers compared modulo 2^32) */
static int newer(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

/* The identity/shape verdict for a record that passed its CRC. */
static ta_head_record_check_t match(const ta_head_record_info_t *info, const ta_head_t *head,
                                    const ta_head_identity_t *identity)
{
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
    return TA_HEAD_RECORD_OK;
}

ta_status_t ta_head_store_boot(ta_head_store_t *store, ta_head_t *head, const ta_head_identity_t *identity,
                               const uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES])
{
    TA_PRECONDITION(store != NULL && head != NULL && identity != NULL && device_id != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->factory != NULL, TA_ERR_STATE);
    memset(store, 0, sizeof *store);
    memcpy(store->device_id, device_id, TA_HEAD_DEVICE_ID_BYTES);
    store->active = TA_HEAD_STORE_NONE;
    int have_seq = 0;
    uint32_t max_seq = 0u;
    int32_t order[2] = {TA_HEAD_STORE_NONE, TA_HEAD_STORE_NONE}; /* matching slots, newest first */
    for (int32_t s = 0; s < 2; ++s) {
        uint32_t base = slot_base(s);
        store->check[s] = ta_head_record_check(slot_read, &base, TA_HEAD_STORE_SLOT_BYTES, &store->info[s]);
        if (store->check[s] != TA_HEAD_RECORD_OK) {
            continue;
        }
        if (!have_seq || newer(store->info[s].seq, max_seq)) {
            max_seq = store->info[s].seq;
            have_seq = 1;
        }
        store->check[s] = match(&store->info[s], head, identity);
        if (store->check[s] != TA_HEAD_RECORD_OK) {
            continue;
        }
        if (order[0] == TA_HEAD_STORE_NONE) {
            order[0] = s;
        } else if (newer(store->info[s].seq, store->info[order[0]].seq)) {
            order[1] = order[0];
            order[0] = s;
        } else {
            order[1] = s;
        }
    }
    store->next_seq = have_seq ? max_seq + 1u : 1u;
    for (int i = 0; i < 2 && order[i] != TA_HEAD_STORE_NONE; ++i) {
        const int32_t s = order[i];
        uint32_t base = slot_base(s);
        ta_head_record_info_t info;
        ta_head_record_check_t c = ta_head_record_load(head, identity, slot_read, &base, TA_HEAD_STORE_SLOT_BYTES,
                                                       &info);
        if (c == TA_HEAD_RECORD_OK) {
            store->active = s;
            store->seq = info.seq;
            return TA_OK;
        }
        store->check[s] = c; /* the slot changed under us or could not be read: try the other one */
    }
    return TA_OK;
}

/* The slot holds a complete record (of this model or another). */
static int holds_record(ta_head_record_check_t check)
{
    return check == TA_HEAD_RECORD_OK || check == TA_HEAD_RECORD_WRONG_MODEL ||
           check == TA_HEAD_RECORD_WRONG_FRONTEND || check == TA_HEAD_RECORD_WRONG_SHAPE;
}

ta_status_t ta_head_store_save(ta_head_store_t *store, const ta_head_t *head, const ta_head_identity_t *identity)
{
    TA_PRECONDITION(store != NULL && head != NULL && identity != NULL, TA_ERR_NULL);
    int32_t target;
    if (store->active != TA_HEAD_STORE_NONE) {
        target = 1 - store->active;
    } else {
        /* Nothing of ours is loaded: spare a slot holding a valid record of something else if we can. */
        target = holds_record(store->check[0]) && !holds_record(store->check[1]) ? 1 : 0;
    }
    uint32_t base = slot_base(target);
    store->check[target] = TA_HEAD_RECORD_BAD_MAGIC; /* from here on the slot is being rewritten */
    if (ta_platform_storage_erase(base, TA_HEAD_STORE_SLOT_BYTES) != TA_PLATFORM_OK) {
        return TA_ERR_IO;
    }
    const uint32_t seq = store->next_seq;
    ta_status_t st = ta_head_record_write(head, identity, seq, store->device_id, slot_write, &base);
    if (st != TA_OK) {
        return st == TA_ERR_PARAM ? TA_ERR_CAPACITY : st;
    }
    ta_head_record_info_t info;
    ta_head_record_check_t c = ta_head_record_check(slot_read, &base, TA_HEAD_STORE_SLOT_BYTES, &info);
    if (c != TA_HEAD_RECORD_OK || info.seq != seq) {
        store->check[target] = c;
        return TA_ERR_IO;
    }
    store->check[target] = TA_HEAD_RECORD_OK;
    store->info[target] = info;
    store->active = target;
    store->seq = seq;
    store->next_seq = seq + 1u;
    return TA_OK;
}

ta_status_t ta_head_store_erase(ta_head_store_t *store)
{
    TA_PRECONDITION(store != NULL, TA_ERR_NULL);
    if (ta_platform_storage_erase(0u, 2u * TA_HEAD_STORE_SLOT_BYTES) != TA_PLATFORM_OK) {
        return TA_ERR_IO;
    }
    store->active = TA_HEAD_STORE_NONE;
    store->check[0] = TA_HEAD_RECORD_EMPTY;
    store->check[1] = TA_HEAD_RECORD_EMPTY;
    return TA_OK;
}
