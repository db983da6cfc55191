"""Write model.h / model.c from the lowered ops and the memory plan (strings only; no file I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinyaudio.compile.ir import Model, Tensor
from tinyaudio.compile.ops import LoweredOp, c_literal, scratch_macro, tensor_macro
from tinyaudio.compile.planner import ALIGNMENT, MemoryPlan

VALUES_PER_LINE = 20


@dataclass
class GeneratedSources:
    model_h: str
    model_c: str
    weights_bytes: int
    kernels: list[str]


def _c_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if 32 <= ord(ch) < 127 else f"\\{ord(ch):03o}" for ch in escaped) + '"'


def _comment(text: str) -> str:
    return text.replace("*/", "* /")


def _array_literal(values: np.ndarray, c_type: str) -> str:
    flat = np.asarray(values).ravel()
    if flat.size == 0:
        return "{0}"
    if c_type == "float":
        items = [c_literal(float(v)) for v in flat]
    else:
        items = [c_literal(int(v)) for v in flat]
    lines = []
    for i in range(0, len(items), VALUES_PER_LINE):
        lines.append("    " + ", ".join(items[i : i + VALUES_PER_LINE]) + ",")
    return "{\n" + "\n".join(lines) + "\n}"


def _c_float(value: float) -> str:
    return c_literal(float(value))


def generate(
    model: Model,
    lowered: list[LoweredOp],
    plan: MemoryPlan,
    labels: list[str] | None,
    frontend_c: str | None,
    embedding: Tensor | None = None,
) -> GeneratedSources:
    inp = model.tensors[model.inputs[0]]
    out = model.tensors[model.outputs[0]]
    kernels: list[str] = []
    for low in lowered:
        for k in low.kernels:
            if k not in kernels:
                kernels.append(k)

    referenced: set[int] = {inp.index, out.index} | ({embedding.index} if embedding else set())
    for low in lowered:
        referenced |= low.referenced

    const_lines: list[str] = []
    weights_bytes = 0
    for idx in sorted(referenced):
        t = model.tensors[idx]
        if not t.is_constant:
            continue
        c_type = t.c_type
        if c_type is None:
            raise ValueError(f"constant {t.describe()} has no C type")
        values = t.array()
        const_lines.append(f"/* {_comment(t.describe())} */")
        const_lines.append(f"static const {c_type} ta_const_t{idx}[{max(values.size, 1)}] = "
                           f"{_array_literal(values, c_type)};")
        const_lines.append(f"#define {tensor_macro(idx)} (ta_const_t{idx})")
        weights_bytes += t.nbytes
    for low in lowered:
        for arr in low.arrays:
            if arr.comment:
                const_lines.append(f"/* {_comment(arr.comment)} */")
            const_lines.append(f"static const {arr.c_type} {arr.name}[{max(arr.values.size, 1)}] = "
                               f"{_array_literal(arr.values, arr.c_type)};")
            weights_bytes += arr.nbytes
        for st in low.structs:
            init = "\n".join(f"    .{k} = {v}," for k, v in st.fields.items())
            const_lines.append(f"static const {st.c_type} {st.name} = {{\n{init}\n}};")

    arena_bytes = max(plan.arena_bytes, ALIGNMENT)
    ptr_lines: list[str] = []
    for idx in sorted(plan.tensor_offsets):
        t = model.tensors[idx]
        c_type = t.c_type or "int8_t"
        ptr_lines.append(
            f"#define {tensor_macro(idx)} (({c_type} *)(void *)(ta_arena.bytes + {plan.tensor_offsets[idx]}))"
            f"  /* {_comment(t.describe())}, {t.nbytes} B */"
        )
    for op_index, offset in sorted(plan.scratch_offsets.items()):
        ptr_lines.append(f"#define {scratch_macro(op_index)} ((void *)(ta_arena.bytes + {offset}))")

    # TFLM fills int8 variable tensors with their zero point when it allocates them (others with 0).
    state_init: list[str] = []
    for t in model.tensors:
        if t.is_variable and t.index in plan.tensor_offsets and t.type_name == "INT8" and t.quant:
            zp = t.quant.zero_point
            if zp != 0:
                off = plan.tensor_offsets[t.index]
                state_init.append(f"    /* {_comment(t.describe())} */")
                state_init.append(f"    for (uint32_t i = 0; i < {t.nbytes}u; ++i) {{")
                state_init.append(f"        ta_arena.bytes[{off}u + i] = (int8_t){zp};")
                state_init.append("    }")

    body: list[str] = []
    for low in lowered:
        note = "" if low.calls else " (aliases its input: no code)"
        body.append(f"    /* op #{low.op.index}: {low.op.name}{note} */")
        for call in low.calls:
            body.append(f"    status = {call};")
            body.append("    if (status != TA_OK) {")
            body.append("        return status;")
            body.append("    }")

    iq = inp.quant
    oq = out.quant
    header = _model_h(model, inp, out, iq.scale if iq else 1.0, iq.zero_point if iq else 0,
                      oq.scale if oq else 1.0, oq.zero_point if oq else 0, arena_bytes, weights_bytes,
                      sum(low.macs for low in lowered), labels, frontend_c is not None, embedding)

    includes = "\n".join(f'#include "{k}.h"' for k in kernels)
    labels_c = ""
    if labels:
        items = ",\n".join(f"    {_c_string(label)}" for label in labels)
        labels_c = f"const char *const ta_model_labels[TA_MODEL_NUM_LABELS] = {{\n{items},\n}};\n"
    frontend_part = f"\n{frontend_c}\n" if frontend_c else ""
    embedding_fn = ""
    if embedding is not None:
        ptr = tensor_macro(embedding.index)
        embedding_fn = "\nconst int8_t *ta_model_embedding(void)\n{\n"
        embedding_fn += f"    return (const int8_t *){ptr};\n}}\n"
    source = f"""/* Generated by `tinyaudio compile` from {_comment(Path(model.source).name)}
 * (sha256 {model.sha256}). Do not edit: recompile the model instead. */
#include "model.h"

#include <stdint.h>

{includes}

#if defined(__GNUC__) || defined(__clang__)
#define TA_ARENA_ALIGN __attribute__((aligned({ALIGNMENT})))
#else
#define TA_ARENA_ALIGN
#endif

/* The one activation arena ({arena_bytes} bytes): offsets planned at compile time. */
static union {{
    int8_t bytes[TA_MODEL_ARENA_BYTES];
    int64_t align_;
}} ta_arena TA_ARENA_ALIGN;

static int ta_model_ready = 0;

{chr(10).join(ptr_lines)}

/* ---- constants: weights, biases, precomputed requantization parameters ---- */
{chr(10).join(const_lines)}
{labels_c}{frontend_part}
ta_status_t ta_model_init(void)
{{
    /* Zero the arena; state tensors then start as TFLM resets them (int8 at their zero point). */
    for (uint32_t i = 0; i < (uint32_t)TA_MODEL_ARENA_BYTES; ++i) {{
        ta_arena.bytes[i] = 0;
    }}{"".join(chr(10) + line for line in state_init)}
    ta_model_ready = 1;
    return TA_OK;
}}

int8_t *ta_model_input(void)
{{
    return (int8_t *){tensor_macro(inp.index)};
}}

const int8_t *ta_model_output(void)
{{
    return (const int8_t *){tensor_macro(out.index)};
}}
{embedding_fn}
ta_status_t ta_model_invoke(void)
{{
    ta_status_t status = TA_OK;
    if (!ta_model_ready) {{
        return TA_ERR_STATE;
    }}
{chr(10).join(body)}
    return status;
}}
"""
    return GeneratedSources(model_h=header, model_c=source, weights_bytes=weights_bytes, kernels=kernels)


def _shape_initializer(t: Tensor) -> str:
    return "{" + ", ".join(str(d) for d in t.shape) + "}" if t.shape else "{1}"


def _model_h(
    model: Model,
    inp: Tensor,
    out: Tensor,
    in_scale: float,
    in_zp: int,
    out_scale: float,
    out_zp: int,
    arena_bytes: int,
    weights_bytes: int,
    macs: int,
    labels: list[str] | None,
    has_frontend: bool,
    embedding: Tensor | None = None,
) -> str:
    num_labels = len(labels) if labels else out.num_elements
    labels_decl = (
        "#define TA_MODEL_HAS_LABELS 1\nextern const char *const ta_model_labels[TA_MODEL_NUM_LABELS];\n"
        if labels
        else "#define TA_MODEL_HAS_LABELS 0\n"
    )
    frontend_decl = (
        '#define TA_MODEL_HAS_FRONTEND 1\n#include "ta_frontend.h"\n'
        "extern const ta_frontend_config_t ta_model_frontend;\n"
        # config_to_c() also writes the frontend's tables, built on the host by the C frontend: the
        # device uses them const (ta_frontend_init_const) instead of building them at boot.
        "#define TA_MODEL_HAS_FRONTEND_TABLES 1\n"
        "extern const ta_frontend_tables_t ta_model_frontend_tables;\n"
        if has_frontend
        else "#define TA_MODEL_HAS_FRONTEND 0\n"
    )
    return f"""/* Generated by `tinyaudio compile` from {_comment(Path(model.source).name)}
 * (sha256 {model.sha256}). Do not edit: recompile the model instead.
 *
 * Usage: ta_model_init() once; then per inference fill ta_model_input() with TA_MODEL_INPUT_BYTES
 * bytes of quantized input, call ta_model_invoke(), read ta_model_output(). No heap; one static arena. */
#ifndef TA_MODEL_H
#define TA_MODEL_H

#include <stdint.h>

#include "ta_status.h"

#ifdef __cplusplus
extern "C" {{
#endif

#define TA_MODEL_INPUT_BYTES {inp.nbytes}
#define TA_MODEL_OUTPUT_BYTES {out.nbytes}
#define TA_MODEL_INPUT_SCALE {_c_float(in_scale)}
#define TA_MODEL_INPUT_ZERO_POINT {in_zp}
#define TA_MODEL_OUTPUT_SCALE {_c_float(out_scale)}
#define TA_MODEL_OUTPUT_ZERO_POINT {out_zp}
#define TA_MODEL_NUM_LABELS {num_labels}
#define TA_MODEL_ARENA_BYTES {arena_bytes}
#define TA_MODEL_WEIGHTS_BYTES {weights_bytes}
#define TA_MODEL_MACS {macs}

/* Element type of the input/output bytes (1 = int8, 2 = int16, 4 = int32) and shapes. */
#define TA_MODEL_INPUT_ELEMENT_BYTES {inp.itemsize}
#define TA_MODEL_OUTPUT_ELEMENT_BYTES {out.itemsize}
#define TA_MODEL_INPUT_ELEMENTS {inp.num_elements}
#define TA_MODEL_OUTPUT_ELEMENTS {out.num_elements}
#define TA_MODEL_INPUT_RANK {max(len(inp.shape), 1)}
#define TA_MODEL_INPUT_SHAPE {_shape_initializer(inp)}
#define TA_MODEL_OUTPUT_RANK {max(len(out.shape), 1)}
#define TA_MODEL_OUTPUT_SHAPE {_shape_initializer(out)}

ta_status_t ta_model_init(void);
int8_t *ta_model_input(void);
ta_status_t ta_model_invoke(void);
const int8_t *ta_model_output(void);

{labels_decl}
{frontend_decl}
{_embedding_decl(embedding)}
#ifdef __cplusplus
}}
#endif

#endif /* TA_MODEL_H */
"""


def _embedding_decl(t: Tensor | None) -> str:
    """The on-device-learning hook: an int8 activation kept valid after ta_model_invoke()."""
    if t is None:
        return "#define TA_MODEL_HAS_EMBEDDING 0\n"
    q = t.quant
    return (
        "#define TA_MODEL_HAS_EMBEDDING 1\n"
        f"#define TA_MODEL_EMBEDDING_BYTES {t.nbytes}\n"
        f"#define TA_MODEL_EMBEDDING_SCALE {_c_float(q.scale if q else 1.0)}\n"
        f"#define TA_MODEL_EMBEDDING_ZERO_POINT {q.zero_point if q else 0}\n"
        f"/* {_comment(t.describe())}, valid after each ta_model_invoke() */\n"
        "const int8_t *ta_model_embedding(void);\n"
    )
