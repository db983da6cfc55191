/* Tests of ta_head_store (A/B slots) on the NOR shim (nor_shim.c):
 *
 *   store_test powercut SEED TRIALS   a save interrupted at TRIALS offsets (random units, the first and last
 *                                     few, some after the end): every boot loads the old head or the new one,
 *                                     the new one exactly when the save completed
 *   store_test refusals               corrupt, wrong-model, wrong-frontend and wrong-shape records refused
 *
 * Prints "TA_STORE_OK ..." and exits 0 when every check held; "TA_STORE_FAIL ..." and exits 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nor_shim.h"
#include "ta_head.h"
#include "ta_head_record.h"
#include "ta_head_store.h"

#define CLASSES 10u
#define DIM 48u

static int8_t weights[CLASSES * DIM];
static float scales[CLASSES];
static int32_t bias[CLASSES];
static ta_head_factory_t factory;
static ta_head_factory_t small_factory;
static ta_head_t head;
static ta_head_t old_head;
static ta_head_t new_head;
static ta_head_store_t store;
static ta_head_identity_t identity;
static const uint8_t device_id[TA_HEAD_DEVICE_ID_BYTES] = "test-device";
static uint32_t rng = 12345u;

static uint32_t next_random(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static void fail(const char *what, uint32_t a, uint32_t b)
{
    printf("TA_STORE_FAIL %s %u %u\n", what, (unsigned)a, (unsigned)b);
    exit(1);
}

static void setup(void)
{
    for (uint32_t i = 0; i < CLASSES * DIM; ++i) {
        weights[i] = (int8_t)((int32_t)(next_random() % 255u) - 127);
    }
    for (uint32_t k = 0; k < CLASSES; ++k) {
        scales[k] = 0.002f + 0.0005f * (float)k;
        bias[k] = (int32_t)(next_random() % 4000u) - 2000;
    }
    factory.classes = CLASSES;
    factory.dim = DIM;
    factory.input_scale = 0.02f;
    factory.input_zero_point = -128;
    factory.weights = weights;
    factory.weight_scales = scales;
    factory.bias = bias;
    factory.labels = NULL;
    small_factory = factory;
    small_factory.dim = DIM / 2u;
    for (uint32_t i = 0; i < 32u; ++i) {
        identity.model_sha256[i] = (uint8_t)(i + 1u);
        identity.frontend_sha256[i] = (uint8_t)(100u + i);
    }
}

/* A few SGD steps on random embeddings and labels, so that every save differs. */
static void learn(ta_head_t *h, uint32_t steps)
{
    int8_t q[DIM];
    for (uint32_t s = 0; s < steps; ++s) {
        for (uint32_t j = 0; j < DIM; ++j) {
            q[j] = (int8_t)((int32_t)(next_random() % 200u) - 128);
        }
        ta_head_outcome_t outcome;
        if (ta_head_update(h, q, next_random() % h->classes, &outcome) != TA_OK) {
            fail("update", s, 0u);
        }
    }
}

static int same_head(const ta_head_t *a, const ta_head_t *b)
{
    return a->classes == b->classes && a->learned == b->learned &&
           memcmp(a->w, b->w, sizeof(float) * a->classes * a->dim) == 0 &&
           memcmp(a->b, b->b, sizeof(float) * a->classes) == 0 &&
           memcmp(a->counts, b->counts, sizeof(uint32_t) * a->classes) == 0 &&
           memcmp(a->labels, b->labels, sizeof a->labels[0] * a->classes) == 0;
}

static void boot_into(ta_head_t *h)
{
    ta_head_hparams_t hp = ta_head_default_hparams();
    hp.reject_confidence = 2.0f; /* no guard: every learn() step changes the head */
    if (ta_head_init(h, &factory, &hp) != TA_OK || ta_head_store_boot(&store, h, &identity, device_id) != TA_OK) {
        fail("boot", 0u, 0u);
    }
}

static int powercut(uint32_t seed, uint32_t trials)
{
    rng = seed;
    /* How many units one full save costs (erase sectors + bytes written). */
    nor_shim_format();
    boot_into(&head);
    nor_shim_cut_after(0xFFFFFFFFu, 0u);
    if (ta_head_store_save(&store, &head, &identity) != TA_OK) {
        fail("first save", 0u, 0u);
    }
    const uint32_t full = nor_shim_units();
    uint32_t got_old = 0u;
    uint32_t got_new = 0u;
    for (uint32_t t = 0; t < trials; ++t) {
        uint32_t cut;
        if (t < 8u) {
            cut = t; /* during the erase */
        } else if (t < 16u) {
            cut = full - (t - 8u); /* the last bytes: the magic */
        } else if (t % 10u == 0u) {
            cut = full + next_random() % 100u; /* the power goes after the save */
        } else {
            cut = next_random() % (full + 1u);
        }
        /* An old head on storage (sometimes in both slots), booted from. */
        nor_shim_format();
        boot_into(&head);
        learn(&head, 3u);
        uint32_t saves = 1u + next_random() % 3u;
        for (uint32_t s = 0; s < saves; ++s) {
            learn(&head, 2u);
            if (ta_head_store_save(&store, &head, &identity) != TA_OK) {
                fail("save", t, s);
            }
        }
        boot_into(&old_head);
        if (!same_head(&old_head, &head) || store.active == TA_HEAD_STORE_NONE) {
            fail("old head did not round-trip", t, 0u);
        }
        /* Learn more, save, lose power after `cut` units. */
        new_head = old_head;
        learn(&new_head, 5u);
        nor_shim_cut_after(cut, seed + t);
        ta_status_t st = ta_head_store_save(&store, &new_head, &identity);
        int completed = nor_shim_powered();
        nor_shim_power_on();
        if ((st == TA_OK) != completed) {
            fail("save status does not match the power", t, cut);
        }
        /* Reboot: the old head or the new one, nothing else. */
        boot_into(&head);
        if (store.active == TA_HEAD_STORE_NONE) {
            fail("no head after the cut", t, cut);
        }
        if (same_head(&head, &new_head)) {
            got_new++;
        } else if (same_head(&head, &old_head)) {
            got_old++;
        } else {
            fail("head is neither old nor new", t, cut);
        }
        if (completed != same_head(&head, &new_head)) {
            fail("a completed save did not win (or an incomplete one did)", t, cut);
        }
        /* The next save after the cut completes and wins. */
        learn(&head, 1u);
        new_head = head;
        if (ta_head_store_save(&store, &head, &identity) != TA_OK) {
            fail("save after the cut", t, cut);
        }
        boot_into(&head);
        if (!same_head(&head, &new_head)) {
            fail("save after the cut was not loaded", t, cut);
        }
        if (!completed && cut == full) {
            fail("a save with its whole budget did not complete", t, cut);
        }
    }
    printf("TA_STORE_OK powercut trials=%u old=%u new=%u save_units=%u\n", (unsigned)trials, (unsigned)got_old,
           (unsigned)got_new, (unsigned)full);
    return 0;
}

static void expect(ta_head_record_check_t got, ta_head_record_check_t want, const char *what)
{
    printf("TA_STORE_CHECK %s: %s\n", what, ta_head_record_check_name(got));
    if (got != want) {
        fail(what, (uint32_t)got, (uint32_t)want);
    }
}

static void expect_factory(const ta_head_t *h, const char *what)
{
    ta_head_t fresh;
    ta_head_hparams_t hp = ta_head_default_hparams();
    (void)ta_head_init(&fresh, h->factory, &hp);
    if (!same_head(h, &fresh) || store.active != TA_HEAD_STORE_NONE) {
        fail(what, 0u, 0u);
    }
}

static int refusals(void)
{
    ta_head_hparams_t hp = ta_head_default_hparams();
    /* One learned head saved in slot A (seq 1) and a newer one in slot B (seq 2). */
    nor_shim_format();
    boot_into(&head);
    learn(&head, 10u);
    if (ta_head_store_save(&store, &head, &identity) != TA_OK) {
        fail("save 1", 0u, 0u);
    }
    old_head = head;
    learn(&head, 10u);
    if (ta_head_store_save(&store, &head, &identity) != TA_OK || store.active != 1) {
        fail("save 2", 0u, 0u);
    }
    new_head = head;

    /* Another model: both slots refused, the factory head stays. */
    ta_head_identity_t other = identity;
    other.model_sha256[5] ^= 0x40u;
    (void)ta_head_init(&head, &factory, &hp);
    (void)ta_head_store_boot(&store, &head, &other, device_id);
    expect(store.check[0], TA_HEAD_RECORD_WRONG_MODEL, "slot A for another model");
    expect(store.check[1], TA_HEAD_RECORD_WRONG_MODEL, "slot B for another model");
    expect_factory(&head, "wrong model loaded");

    /* Same model, another frontend configuration. */
    other = identity;
    other.frontend_sha256[0] ^= 1u;
    (void)ta_head_init(&head, &factory, &hp);
    (void)ta_head_store_boot(&store, &head, &other, device_id);
    expect(store.check[1], TA_HEAD_RECORD_WRONG_FRONTEND, "slot B for another frontend");
    expect_factory(&head, "wrong frontend loaded");

    /* Same identity but another embedding size (a record that cannot fit this head). */
    (void)ta_head_init(&head, &small_factory, &hp);
    (void)ta_head_store_boot(&store, &head, &identity, device_id);
    expect(store.check[1], TA_HEAD_RECORD_WRONG_SHAPE, "slot B of another shape");
    expect_factory(&head, "wrong shape loaded");

    /* A flipped bit in the newest record: it is refused and the older one loads. */
    uint8_t *flash = nor_shim_bytes();
    flash[TA_HEAD_STORE_SLOT_BYTES + 500u] ^= 0x10u;
    boot_into(&head);
    expect(store.check[1], TA_HEAD_RECORD_BAD_CRC, "slot B with one flipped bit");
    if (store.active != 0 || !same_head(&head, &old_head)) {
        fail("the older valid slot was not loaded", 0u, 0u);
    }
    /* The next save replaces the corrupt slot, not the good one. */
    learn(&head, 2u);
    if (ta_head_store_save(&store, &head, &identity) != TA_OK || store.active != 1 || store.seq != 2u) {
        fail("save after corruption", (uint32_t)store.active, store.seq);
    }

    /* Truncated: the payload length says more than a slot holds. */
    nor_shim_format();
    boot_into(&head);
    learn(&head, 1u);
    (void)ta_head_store_save(&store, &head, &identity);
    flash[78] = 0x7Fu; /* payload bytes, third byte: ~8 MB */
    boot_into(&head);
    expect(store.check[0], TA_HEAD_RECORD_BAD_LENGTH, "slot A with an impossible length");
    expect_factory(&head, "oversized record loaded");

    /* Garbage everywhere: nothing loads, nothing crashes. */
    for (uint32_t i = 0; i < TA_PLATFORM_STORAGE_BYTES; ++i) {
        flash[i] = (uint8_t)next_random();
    }
    boot_into(&head);
    expect(store.check[0], TA_HEAD_RECORD_BAD_MAGIC, "slot A of random bytes");
    expect(store.check[1], TA_HEAD_RECORD_BAD_MAGIC, "slot B of random bytes");
    expect_factory(&head, "garbage loaded");

    /* Erased storage. */
    nor_shim_format();
    boot_into(&head);
    expect(store.check[0], TA_HEAD_RECORD_EMPTY, "slot A erased");
    expect_factory(&head, "erased storage loaded");

    /* A newer record of another model beside an older one of ours: ours loads, and the next save spares
     * neither rule: it goes to the other model's slot (never ours). */
    learn(&head, 3u);
    (void)ta_head_store_save(&store, &head, &identity); /* ours, slot A, seq 1 */
    old_head = head;
    other = identity;
    other.model_sha256[0] ^= 0xFFu;
    learn(&head, 3u);
    (void)ta_head_store_save(&store, &head, &other); /* other model, slot B, seq 2 */
    boot_into(&head);
    expect(store.check[1], TA_HEAD_RECORD_WRONG_MODEL, "newer slot B for another model");
    if (store.active != 0 || !same_head(&head, &old_head) || store.next_seq != 3u) {
        fail("our older record was not loaded", (uint32_t)store.active, store.next_seq);
    }
    printf("TA_STORE_OK refusals\n");
    return 0;
}

int main(int argc, char **argv)
{
    setup();
    if (argc == 4 && strcmp(argv[1], "powercut") == 0) {
        return powercut((uint32_t)strtoul(argv[2], NULL, 10), (uint32_t)strtoul(argv[3], NULL, 10));
    }
    if (argc == 2 && strcmp(argv[1], "refusals") == 0) {
        return refusals();
    }
    printf("TA_STORE_FAIL usage\n");
    return 2;
}
