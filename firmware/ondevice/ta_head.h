/* The on-device trainable head: a float32 linear classifier over the frozen int8 backbone's embedding.
 *
 *   int8 embedding q[dim] (ta_model_embedding())  ->  x = scale * (q - zero_point)  ->  z = W x + b
 *
 * W [classes][dim] and b start as the compiled model's classifier, dequantized (the "factory" head). A
 * head that never learned classifies with the model's own int8 output (the int8 path: exactly what the
 * device predicted before on-device learning existed); once it learns, with the float head.
 *
 * Learning, one labelled sample at a time (ta_head_update):
 *   p = softmax(z)                                   (over the active classes; ta_head_expf)
 *   guard: if argmax p != label and max p >= reject_confidence, the sample is rejected (a label the head
 *          is very sure is wrong is more likely a wrong label than a lesson)
 *   g = p - onehot(label), clipped so that the data gradient's L2 norm ||g|| * sqrt(||x||^2 + 1) is at
 *       most clip_norm
 *   dW = g x^T + l2 W,  db = g;   v = momentum v + d;   W -= lr v,  b -= lr vb
 * New classes by weight imprinting (ta_head_imprint_*): the new row points from the mean of the embeddings
 * the device has heard (ta_head_observe; a running mean over the last TA_HEAD_MEAN_WINDOW) to the mean
 * of the K examples, scaled to the mean norm of the existing rows; its bias puts the new class
 * imprint_margin above the strongest existing class at the examples' mean. With nothing heard yet the
 * row is the examples' mean itself.
 *
 * Arithmetic is float32 only, in a fixed order, with no fused multiply-add (-ffp-contract=off): the numpy
 * mirror (python/tinyaudio/ondevice/head.py) repeats it operation for operation.
 *
 * No heap: the caller owns one ta_head_t (static). Sizes are fixed at build time by TA_HEAD_MAX_CLASSES
 * and TA_HEAD_MAX_DIM; RAM = sizeof(ta_head_t). */
#ifndef TA_HEAD_H
#define TA_HEAD_H

#include <stddef.h>
#include <stdint.h>

#include "ta_status.h"

#ifndef TA_HEAD_MAX_CLASSES
#define TA_HEAD_MAX_CLASSES 16u /* factory classes + classes added on the device */
#endif
#ifndef TA_HEAD_MAX_DIM
#define TA_HEAD_MAX_DIM 128u /* embedding length */
#endif
#ifndef TA_HEAD_MOMENTUM
#define TA_HEAD_MOMENTUM 0 /* 1: keep a velocity per weight (doubles the head's RAM) */
#endif
#ifndef TA_HEAD_MEAN_WINDOW
#define TA_HEAD_MEAN_WINDOW 256u /* the running mean of heard embeddings forgets after about this many */
#endif
#define TA_HEAD_LABEL_BYTES 16u /* one label, NUL-padded (at most 15 characters) */
#define TA_HEAD_DEVICE_ID_BYTES 16u

/* The classifier the head starts from (the compiled model's last FULLY_CONNECTED). */
typedef struct {
    uint32_t classes;
    uint32_t dim;
    float input_scale;             /* embedding quantization */
    int32_t input_zero_point;
    const int8_t *weights;         /* [classes][dim], zero point 0 */
    const float *weight_scales;    /* [classes] */
    const int32_t *bias;           /* [classes], scale input_scale * weight_scales[k]; NULL: no bias */
    const char *const *labels;     /* [classes]; NULL: "0", "1", ... */
} ta_head_factory_t;

typedef struct {
    float learning_rate;      /* > 0 */
    float l2;                 /* >= 0: weight decay on W (not on b) */
    float clip_norm;          /* > 0: the data gradient's L2 norm is clipped to it; 0: no clipping */
    float momentum;           /* [0, 1); non-zero needs TA_HEAD_MOMENTUM */
    float reject_confidence;  /* (0, 1]: reject a contradicted prediction this sure; > 1: never reject */
    float imprint_margin;     /* [0, 100]: logit margin of an imprinted class at its examples' mean */
} ta_head_hparams_t;

typedef enum {
    TA_HEAD_UPDATED = 0,
    TA_HEAD_REJECTED = 1 /* the bad-label guard skipped the sample */
} ta_head_outcome_t;

typedef struct {
    const ta_head_factory_t *factory;
    ta_head_hparams_t hp;
    uint32_t classes;              /* active classes: factory ones, then imprinted ones */
    uint32_t dim;
    uint8_t learned;               /* 0 while the head equals the factory head: the int8 path classifies */
    uint8_t imprinting;            /* between ta_head_imprint_begin and _end */
    uint32_t imprint_count;
    uint32_t updates;              /* since boot: applied updates */
    uint32_t rejected;             /* since boot: samples the guard rejected */
    uint32_t observed;             /* embeddings in the running mean (since boot or reset) */
    uint32_t counts[TA_HEAD_MAX_CLASSES];  /* samples learned per class (persisted) */
    char labels[TA_HEAD_MAX_CLASSES][TA_HEAD_LABEL_BYTES];
    float b[TA_HEAD_MAX_CLASSES];
    float w[TA_HEAD_MAX_CLASSES * TA_HEAD_MAX_DIM];  /* row k at w[k * dim] */
#if TA_HEAD_MOMENTUM
    float vb[TA_HEAD_MAX_CLASSES];
    float vw[TA_HEAD_MAX_CLASSES * TA_HEAD_MAX_DIM];
#endif
    float x[TA_HEAD_MAX_DIM];      /* dequantized embedding of the last call */
    float acc[TA_HEAD_MAX_DIM];    /* imprinting: sum of the new class's embeddings */
    float mean[TA_HEAD_MAX_DIM];   /* running mean of the embeddings heard (ta_head_observe) */
    float p[TA_HEAD_MAX_CLASSES];  /* float path: probabilities of the last call */
} ta_head_t;

/* Defaults the benchmarks were run with (firmware/ondevice/README.md). */
ta_head_hparams_t ta_head_default_hparams(void);

/* Checks the hyperparameters (TA_ERR_PARAM, or TA_ERR_UNSUPPORTED for momentum without TA_HEAD_MOMENTUM). */
ta_status_t ta_head_check_hparams(const ta_head_hparams_t *hp);

/* Sets up `head` as the factory head. `factory` must outlive the head. TA_ERR_CAPACITY when the factory
 * exceeds TA_HEAD_MAX_CLASSES x TA_HEAD_MAX_DIM. */
ta_status_t ta_head_init(ta_head_t *head, const ta_head_factory_t *factory, const ta_head_hparams_t *hp);

ta_status_t ta_head_set_hparams(ta_head_t *head, const ta_head_hparams_t *hp);

/* Back to the factory head: weights, labels (imprinted classes removed), counts 0, learned 0, the
 * running mean emptied. */
ta_status_t ta_head_reset(ta_head_t *head);

/* The label for one embedding. With model_scores (the model's int8 output, model_count values) and a
 * head that never learned, the int8 path: argmax of model_scores, first on ties (as the app core).
 * Otherwise the float head: argmax of W x + b, first on ties; head->p holds the probabilities. */
ta_status_t ta_head_classify(ta_head_t *head, const int8_t *embedding, const int8_t *model_scores,
                             uint32_t model_count, int32_t *label);

/* Adds one heard embedding to the running mean: mean += (x - mean) / min(observed, TA_HEAD_MEAN_WINDOW).
 * The app calls it for what the device hears (not for evaluation clips); ta_head_update calls it too. */
ta_status_t ta_head_observe(ta_head_t *head, const int8_t *embedding);

/* One SGD step towards `label` (the embedding is observed first). TA_ERR_PARAM for a label outside
 * [0, classes) (the sample is refused, nothing changes); *outcome says whether the guard rejected it. */
ta_status_t ta_head_update(ta_head_t *head, const int8_t *embedding, uint32_t label, ta_head_outcome_t *outcome);

/* Adds a class from K >= 1 examples: begin with its name (1..15 characters, not an existing label;
 * TA_ERR_CAPACITY when TA_HEAD_MAX_CLASSES are in use), add each example's embedding, end. */
ta_status_t ta_head_imprint_begin(ta_head_t *head, const char *label);
ta_status_t ta_head_imprint_add(ta_head_t *head, const int8_t *embedding);
ta_status_t ta_head_imprint_end(ta_head_t *head, uint32_t *new_class);

/* Index of `label` among the active classes, or -1. */
int32_t ta_head_find_label(const ta_head_t *head, const char *label);

#endif /* TA_HEAD_H */
