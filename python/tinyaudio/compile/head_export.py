"""The trainable head's view of a compiled model: what `compile --embedding` adds for on-device learning.

When the embedding tensor is the input of the model's last FULLY_CONNECTED (the classifier), the device can
keep a float32 copy of that layer in RAM and train it (firmware/ondevice). This module finds that layer and
exports, beside the embedding:

- model.h: `TA_MODEL_HAS_HEAD`, the head's shape (`TA_MODEL_HEAD_CLASSES` x `TA_MODEL_HEAD_DIM`), the
  layer's int8 weights, int32 bias and per-row weight scales (accessors over the constants model.c already
  holds: nothing is duplicated), and the model's identity: `ta_model_sha256` (of the .tflite) and
  `ta_model_frontend_sha256` (of the canonical frontend-config JSON), which every stored head must match;
- manifest.json: a `head` entry with the same facts.

The classifier may be followed only by a SOFTMAX producing the model output, so that the argmax of the
head's scores is the argmax of the model's output up to quantization.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from tinyaudio.cgen import c_literal
from tinyaudio.compile.codegen import GeneratedSources
from tinyaudio.compile.ir import Model, Operator, Tensor
from tinyaudio.errors import CompileError

_ZERO_SHA = "0" * 64


def canonical_json(doc: Any) -> str:
    """The canonical text of a JSON document: sorted keys, no spaces, ASCII only."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def frontend_sha256(frontend: dict[str, Any] | None) -> str:
    """sha256 (hex) of the canonical JSON of a frontend configuration; 64 zeros for a model without one."""
    if frontend is None:
        return _ZERO_SHA
    return hashlib.sha256(canonical_json(frontend).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class HeadLayer:
    """The classifier layer the on-device head starts from."""

    op: Operator
    weights: Tensor  # INT8 [classes, dim]
    bias: Tensor | None  # INT32 [classes]
    output: Tensor  # the layer's int8 output
    followed_by_softmax: bool

    @property
    def classes(self) -> int:
        return int(self.weights.shape[0])

    @property
    def dim(self) -> int:
        return int(self.weights.shape[1])

    def weight_scales(self) -> list[float]:
        q = self.weights.quant
        if q is None:
            raise CompileError(f"{self.weights.describe()}: the head's weights are not quantized")
        return [float(s) for s in q.scales] if q.per_channel else [float(q.scale)] * self.classes


def find_head(model: Model, embedding: Tensor) -> HeadLayer | None:
    """The FULLY_CONNECTED that reads `embedding` and produces the model's scores, or None when the
    embedding is not the classifier's input (then the model gets no trainable head)."""
    consumers = [op for op in model.operators if embedding.index in op.inputs]
    if (
        len(consumers) != 1
        or consumers[0].name != "FULLY_CONNECTED"
        or consumers[0].inputs[0] != embedding.index
    ):
        return None
    op = consumers[0]
    weights = model.tensors[op.inputs[1]]
    bias = model.tensors[op.inputs[2]] if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
    if not weights.is_constant or weights.type_name != "INT8" or len(weights.shape) != 2:
        return None
    if bias is not None and (not bias.is_constant or bias.type_name != "INT32"):
        return None
    if weights.shape[1] != embedding.num_elements or weights.quant is None:
        return None
    if any(z != 0 for z in weights.quant.zero_points):
        return None
    output = model.tensors[op.outputs[0]]
    out_index = model.outputs[0]
    if output.index == out_index:
        return HeadLayer(op, weights, bias, output, followed_by_softmax=False)
    after = [o for o in model.operators if output.index in o.inputs]
    if len(after) == 1 and after[0].name == "SOFTMAX" and after[0].outputs[0] == out_index:
        return HeadLayer(op, weights, bias, output, followed_by_softmax=True)
    return None


def _bytes_initializer(hex_digest: str) -> str:
    data = bytes.fromhex(hex_digest)
    return "{" + ", ".join(f"0x{b:02x}" for b in data) + "}"


def add_head(
    sources: GeneratedSources, model: Model, embedding: Tensor, frontend: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Appends the head exports to `sources` (in place) and returns the manifest's `head` entry, or None
    (and `TA_MODEL_HAS_HEAD 0`) when the embedding does not feed the classifier."""
    head = find_head(model, embedding)
    marker = "#ifdef __cplusplus\n}\n#endif"
    if marker not in sources.model_h:
        raise CompileError("internal: model.h has no closing extern block")
    if head is None:
        sources.model_h = sources.model_h.replace(marker, "#define TA_MODEL_HAS_HEAD 0\n\n" + marker)
        return None
    fe_sha = frontend_sha256(frontend)
    scales = head.weight_scales()
    eq = embedding.quant
    softmax = "follows" if head.followed_by_softmax else "does not follow"
    decl = f"""/* The trainable head (firmware/ondevice): the classifier {head.op.describe()}
 * reads the embedding. weights: {head.weights.describe()}, row-major [class][dim],
 * zero point 0; bias: int32, scale embedding_scale * weight_scale[class]; a SOFTMAX {softmax}. */
#define TA_MODEL_HAS_HEAD 1
#define TA_MODEL_HEAD_CLASSES {head.classes}
#define TA_MODEL_HEAD_DIM {head.dim}
#define TA_MODEL_HEAD_INPUT_SCALE {c_literal(float(eq.scale if eq else 1.0))}
#define TA_MODEL_HEAD_INPUT_ZERO_POINT {eq.zero_point if eq else 0}
const int8_t *ta_model_head_weights(void);
const float *ta_model_head_weight_scales(void);
const int32_t *ta_model_head_bias(void); /* NULL when the layer has no bias */
/* Identity every stored head is checked against: sha256 of the .tflite and of the canonical
 * frontend-config JSON (all zeros without a frontend). */
extern const uint8_t ta_model_sha256[32];
extern const uint8_t ta_model_frontend_sha256[32];

"""
    sources.model_h = sources.model_h.replace(marker, decl + marker)
    scale_items = ", ".join(c_literal(float(s)) for s in scales)
    bias_ret = f"ta_const_t{head.bias.index}" if head.bias is not None else "0"
    sources.model_c += f"""
/* ---- the trainable head's exports (see model.h) ---- */
static const float ta_model_head_scales[{head.classes}] = {{{scale_items}}};

const int8_t *ta_model_head_weights(void)
{{
    return ta_const_t{head.weights.index};
}}

const float *ta_model_head_weight_scales(void)
{{
    return ta_model_head_scales;
}}

const int32_t *ta_model_head_bias(void)
{{
    return {bias_ret};
}}

const uint8_t ta_model_sha256[32] = {_bytes_initializer(model.sha256)};
const uint8_t ta_model_frontend_sha256[32] = {_bytes_initializer(fe_sha)};
"""
    return {
        "classes": head.classes,
        "dim": head.dim,
        "op": head.op.index,
        "weights_tensor": head.weights.index,
        "bias_tensor": head.bias.index if head.bias is not None else None,
        "weight_scales": scales,
        "input_scale": float(eq.scale) if eq else 1.0,
        "input_zero_point": int(eq.zero_point) if eq else 0,
        "followed_by_softmax": head.followed_by_softmax,
        "model_sha256": model.sha256,
        "frontend_sha256": fe_sha,
    }
