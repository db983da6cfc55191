/* The trainable head: see ta_head.h. The numpy mirror (python/tinyaudio/ondevice/head.py) follows every
 * loop below in the same order; change both together. */
#include "ta_head.h"

#include <string.h>

#include "ta_head_exp.h"

ta_head_hparams_t ta_head_default_hparams(void)
{
    ta_head_hparams_t hp;
    hp.learning_rate = 0.02f;
    hp.l2 = 1e-4f;
    hp.clip_norm = 10.0f;
    hp.momentum = 0.0f;
    hp.reject_confidence = 0.95f;
    hp.imprint_margin = 1.5f;
    return hp;
}

ta_status_t ta_head_check_hparams(const ta_head_hparams_t *hp)
{
    TA_PRECONDITION(hp != NULL, TA_ERR_NULL);
    /* Written so that NaN fails every test. */
    TA_PRECONDITION(hp->learning_rate > 0.0f && hp->learning_rate <= 10.0f, TA_ERR_PARAM);
    TA_PRECONDITION(hp->l2 >= 0.0f && hp->l2 < 1.0f, TA_ERR_PARAM);
    TA_PRECONDITION(hp->clip_norm >= 0.0f && hp->clip_norm <= 1e6f, TA_ERR_PARAM);
    TA_PRECONDITION(hp->momentum >= 0.0f && hp->momentum < 1.0f, TA_ERR_PARAM);
    TA_PRECONDITION(hp->reject_confidence > 0.0f && hp->reject_confidence <= 2.0f, TA_ERR_PARAM);
    TA_PRECONDITION(hp->imprint_margin >= 0.0f && hp->imprint_margin <= 100.0f, TA_ERR_PARAM);
#if !TA_HEAD_MOMENTUM
    TA_PRECONDITION(hp->momentum == 0.0f, TA_ERR_UNSUPPORTED);
#endif
    return TA_OK;
}

ta_status_t ta_head_set_hparams(ta_head_t *head, const ta_head_hparams_t *hp)
{
    TA_PRECONDITION(head != NULL, TA_ERR_NULL);
    ta_status_t st = ta_head_check_hparams(hp);
    if (st == TA_OK) {
        head->hp = *hp;
    }
    return st;
}

/* Writes the decimal form of `value` into `dst` (TA_HEAD_LABEL_BYTES). */
static void index_label(char *dst, uint32_t value)
{
    char digits[12];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u && n < sizeof digits);
    memset(dst, 0, TA_HEAD_LABEL_BYTES);
    for (size_t i = 0; i < n && i + 1u < TA_HEAD_LABEL_BYTES; ++i) {
        dst[i] = digits[n - 1u - i];
    }
}

static void copy_label(char *dst, const char *src)
{
    memset(dst, 0, TA_HEAD_LABEL_BYTES);
    for (size_t i = 0; i + 1u < TA_HEAD_LABEL_BYTES && src[i] != '\0'; ++i) {
        dst[i] = src[i];
    }
}

ta_status_t ta_head_reset(ta_head_t *head)
{
    TA_PRECONDITION(head != NULL && head->factory != NULL, TA_ERR_NULL);
    const ta_head_factory_t *f = head->factory;
    head->classes = f->classes;
    head->dim = f->dim;
    head->learned = 0u;
    head->imprinting = 0u;
    head->imprint_count = 0u;
    head->observed = 0u;
    memset(head->mean, 0, sizeof head->mean);
    memset(head->counts, 0, sizeof head->counts);
    memset(head->labels, 0, sizeof head->labels);
    memset(head->b, 0, sizeof head->b);
    memset(head->w, 0, sizeof head->w);
#if TA_HEAD_MOMENTUM
    memset(head->vb, 0, sizeof head->vb);
    memset(head->vw, 0, sizeof head->vw);
#endif
    for (uint32_t k = 0; k < f->classes; ++k) {
        const float ws = f->weight_scales[k];
        for (uint32_t j = 0; j < f->dim; ++j) {
            head->w[k * f->dim + j] = ws * (float)f->weights[k * f->dim + j];
        }
        head->b[k] = f->bias != NULL ? (float)f->bias[k] * (f->input_scale * ws) : 0.0f;
        if (f->labels != NULL && f->labels[k] != NULL) {
            copy_label(head->labels[k], f->labels[k]);
        } else {
            index_label(head->labels[k], k);
        }
    }
    return TA_OK;
}

ta_status_t ta_head_init(ta_head_t *head, const ta_head_factory_t *factory, const ta_head_hparams_t *hp)
{
    TA_PRECONDITION(head != NULL && factory != NULL && hp != NULL, TA_ERR_NULL);
    TA_PRECONDITION(factory->weights != NULL && factory->weight_scales != NULL, TA_ERR_NULL);
    TA_PRECONDITION(factory->classes >= 1u && factory->dim >= 1u, TA_ERR_SHAPE);
    TA_PRECONDITION(factory->classes <= TA_HEAD_MAX_CLASSES && factory->dim <= TA_HEAD_MAX_DIM, TA_ERR_CAPACITY);
    TA_PRECONDITION(factory->input_scale > 0.0f, TA_ERR_PARAM);
    ta_status_t st = ta_head_check_hparams(hp);
    if (st != TA_OK) {
        return st;
    }
    memset(head, 0, sizeof *head);
    head->factory = factory;
    head->hp = *hp;
    return ta_head_reset(head);
}

/* x = scale * (q - zero_point) */
static void dequantize(ta_head_t *head, const int8_t *q)
{
    const float s = head->factory->input_scale;
    const int32_t zp = head->factory->input_zero_point;
    for (uint32_t j = 0; j < head->dim; ++j) {
        head->x[j] = s * (float)((int32_t)q[j] - zp);
    }
}

/* p = softmax(W x + b) over the active classes; returns the argmax (first on ties). */
static uint32_t forward(ta_head_t *head)
{
    const uint32_t dim = head->dim;
    uint32_t best = 0;
    for (uint32_t k = 0; k < head->classes; ++k) {
        const float *row = &head->w[k * dim];
        float z = head->b[k];
        for (uint32_t j = 0; j < dim; ++j) {
            z = z + row[j] * head->x[j];
        }
        head->p[k] = z;
        if (z > head->p[best]) {
            best = k;
        }
    }
    const float zmax = head->p[best];
    float sum = 0.0f;
    for (uint32_t k = 0; k < head->classes; ++k) {
        head->p[k] = ta_head_expf(head->p[k] - zmax);
        sum = sum + head->p[k];
    }
    const float inv = 1.0f / sum; /* sum >= 1: the best class contributes exp(0) */
    for (uint32_t k = 0; k < head->classes; ++k) {
        head->p[k] = head->p[k] * inv;
    }
    return best;
}

ta_status_t ta_head_classify(ta_head_t *head, const int8_t *embedding, const int8_t *model_scores,
                             uint32_t model_count, int32_t *label)
{
    TA_PRECONDITION(head != NULL && label != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->factory != NULL, TA_ERR_STATE);
    if (!head->learned && model_scores != NULL) {
        TA_PRECONDITION(model_count == head->factory->classes, TA_ERR_SHAPE);
        int32_t best = 0;
        for (int32_t i = 1; i < (int32_t)model_count; ++i) {
            if (model_scores[i] > model_scores[best]) {
                best = i;
            }
        }
        *label = best;
        return TA_OK;
    }
    TA_PRECONDITION(embedding != NULL, TA_ERR_NULL);
    dequantize(head, embedding);
    *label = (int32_t)forward(head);
    return TA_OK;
}

/* Squared L2 norm of v[0..n), summed in index order. */
static float sum_squares(const float *v, uint32_t n)
{
    float s = 0.0f;
    for (uint32_t i = 0; i < n; ++i) {
        s = s + v[i] * v[i];
    }
    return s;
}

/* Square root by Newton's iteration from a bit-level first guess: float32 operations only (no libm),
 * so the mirror repeats it exactly. Only used for the clipping factor, where a last-bit error is
 * harmless but must be the same everywhere. */
static float head_sqrt(float v)
{
    if (!(v > 0.0f)) {
        return 0.0f;
    }
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits = (bits >> 1) + 0x1FC00000u; /* halves the exponent: within 7 % of the root */
    float r;
    memcpy(&r, &bits, sizeof r);
    for (int i = 0; i < 4; ++i) {
        r = 0.5f * (r + v / r);
    }
    return r;
}

/* mean += (x - mean) / n over head->x */
static void observe_x(ta_head_t *head)
{
    if (head->observed < 0xFFFFFFFFu) {
        head->observed++;
    }
    const uint32_t n = head->observed < TA_HEAD_MEAN_WINDOW ? head->observed : TA_HEAD_MEAN_WINDOW;
    const float inv = 1.0f / (float)n;
    for (uint32_t j = 0; j < head->dim; ++j) {
        head->mean[j] = head->mean[j] + (head->x[j] - head->mean[j]) * inv;
    }
}

ta_status_t ta_head_observe(ta_head_t *head, const int8_t *embedding)
{
    TA_PRECONDITION(head != NULL && embedding != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->factory != NULL, TA_ERR_STATE);
    dequantize(head, embedding);
    observe_x(head);
    return TA_OK;
}

ta_status_t ta_head_update(ta_head_t *head, const int8_t *embedding, uint32_t label, ta_head_outcome_t *outcome)
{
    TA_PRECONDITION(head != NULL && embedding != NULL && outcome != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->factory != NULL && !head->imprinting, TA_ERR_STATE);
    TA_PRECONDITION(label < head->classes, TA_ERR_PARAM);
    const uint32_t dim = head->dim;
    const uint32_t classes = head->classes;
    dequantize(head, embedding);
    observe_x(head);
    const uint32_t best = forward(head);
    if (best != label && head->p[best] >= head->hp.reject_confidence) {
        head->rejected++;
        *outcome = TA_HEAD_REJECTED;
        return TA_OK;
    }
    /* g = p - onehot(label), kept in p. */
    head->p[label] = head->p[label] - 1.0f;
    if (head->hp.clip_norm > 0.0f) {
        const float n2 = sum_squares(head->p, classes) * (sum_squares(head->x, dim) + 1.0f);
        const float c = head->hp.clip_norm;
        if (n2 > c * c) {
            const float scale = c / head_sqrt(n2);
            for (uint32_t k = 0; k < classes; ++k) {
                head->p[k] = head->p[k] * scale;
            }
        }
    }
    const float lr = head->hp.learning_rate;
    const float l2 = head->hp.l2;
#if TA_HEAD_MOMENTUM
    const float mu = head->hp.momentum;
#endif
    for (uint32_t k = 0; k < classes; ++k) {
        const float g = head->p[k];
        float *row = &head->w[k * dim];
#if TA_HEAD_MOMENTUM
        float *vrow = &head->vw[k * dim];
        for (uint32_t j = 0; j < dim; ++j) {
            const float d = g * head->x[j] + l2 * row[j];
            vrow[j] = mu * vrow[j] + d;
            row[j] = row[j] - lr * vrow[j];
        }
        head->vb[k] = mu * head->vb[k] + g;
        head->b[k] = head->b[k] - lr * head->vb[k];
#else
        for (uint32_t j = 0; j < dim; ++j) {
            const float d = g * head->x[j] + l2 * row[j];
            row[j] = row[j] - lr * d;
        }
        head->b[k] = head->b[k] - lr * g;
#endif
    }
    if (head->counts[label] < 0xFFFFFFFFu) {
        head->counts[label]++;
    }
    head->learned = 1u;
    head->updates++;
    *outcome = TA_HEAD_UPDATED;
    return TA_OK;
}

int32_t ta_head_find_label(const ta_head_t *head, const char *label)
{
    if (head == NULL || label == NULL) {
        return -1;
    }
    for (uint32_t k = 0; k < head->classes; ++k) {
        if (strncmp(head->labels[k], label, TA_HEAD_LABEL_BYTES) == 0) {
            return (int32_t)k;
        }
    }
    return -1;
}

ta_status_t ta_head_imprint_begin(ta_head_t *head, const char *label)
{
    TA_PRECONDITION(head != NULL && label != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->factory != NULL && !head->imprinting, TA_ERR_STATE);
    const size_t n = strlen(label);
    TA_PRECONDITION(n >= 1u && n < TA_HEAD_LABEL_BYTES, TA_ERR_PARAM);
    TA_PRECONDITION(ta_head_find_label(head, label) < 0, TA_ERR_PARAM);
    TA_PRECONDITION(head->classes < TA_HEAD_MAX_CLASSES, TA_ERR_CAPACITY);
    copy_label(head->labels[head->classes], label);
    memset(head->acc, 0, sizeof head->acc);
    head->imprint_count = 0u;
    head->imprinting = 1u;
    return TA_OK;
}

ta_status_t ta_head_imprint_add(ta_head_t *head, const int8_t *embedding)
{
    TA_PRECONDITION(head != NULL && embedding != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->imprinting, TA_ERR_STATE);
    dequantize(head, embedding);
    for (uint32_t j = 0; j < head->dim; ++j) {
        head->acc[j] = head->acc[j] + head->x[j];
    }
    head->imprint_count++;
    return TA_OK;
}

ta_status_t ta_head_imprint_end(ta_head_t *head, uint32_t *new_class)
{
    TA_PRECONDITION(head != NULL && new_class != NULL, TA_ERR_NULL);
    TA_PRECONDITION(head->imprinting, TA_ERR_STATE);
    const uint32_t dim = head->dim;
    const uint32_t c = head->classes;
    head->imprinting = 0u;
    if (head->imprint_count == 0u) {
        memset(head->labels[c], 0, TA_HEAD_LABEL_BYTES);
        return TA_ERR_STATE;
    }
    /* mean embedding of the examples: x = acc / K */
    const float inv_k = 1.0f / (float)head->imprint_count;
    for (uint32_t j = 0; j < dim; ++j) {
        head->x[j] = head->acc[j] * inv_k;
    }
    /* direction: from the mean of what the device heard to the examples' mean (kept in acc) */
    for (uint32_t j = 0; j < dim; ++j) {
        head->acc[j] = head->observed > 0u ? head->x[j] - head->mean[j] : head->x[j];
    }
    /* target norm: the mean L2 norm of the existing rows */
    float norms = 0.0f;
    for (uint32_t k = 0; k < c; ++k) {
        norms = norms + head_sqrt(sum_squares(&head->w[k * dim], dim));
    }
    const float target = norms / (float)c;
    const float dir_norm = head_sqrt(sum_squares(head->acc, dim));
    const float scale = dir_norm > 0.0f ? target / dir_norm : 0.0f;
    float *row = &head->w[c * dim];
    float self = 0.0f;
    for (uint32_t j = 0; j < dim; ++j) {
        row[j] = head->acc[j] * scale;
        self = self + row[j] * head->x[j];
    }
    /* the strongest existing logit at the examples' mean */
    float strongest = 0.0f;
    for (uint32_t k = 0; k < c; ++k) {
        const float *r = &head->w[k * dim];
        float z = head->b[k];
        for (uint32_t j = 0; j < dim; ++j) {
            z = z + r[j] * head->x[j];
        }
        if (k == 0u || z > strongest) {
            strongest = z;
        }
    }
    head->b[c] = (strongest - self) + head->hp.imprint_margin;
#if TA_HEAD_MOMENTUM
    memset(&head->vw[c * dim], 0, dim * sizeof(float));
    head->vb[c] = 0.0f;
#endif
    head->counts[c] = head->imprint_count;
    head->classes = c + 1u;
    head->learned = 1u;
    *new_class = c;
    return TA_OK;
}
