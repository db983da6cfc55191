"""`compile_model`: .tflite in, model.c/model.h/manifest.json out (library face of `tinyaudio compile`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinyaudio.compile.codegen import GeneratedSources, generate
from tinyaudio.compile.graph import check_graph, io_tensors
from tinyaudio.compile.head_export import add_head
from tinyaudio.compile.ir import Model, Tensor
from tinyaudio.compile.ops import LoweredOp, lower_op
from tinyaudio.compile.planner import MemoryPlan, plan_memory
from tinyaudio.compile.reader import parse_model, read_model
from tinyaudio.errors import CompileError
from tinyaudio.manifest import write_manifest
from tinyaudio.resources import firmware_dir

MANIFEST_FORMAT_VERSION = 1


def runtime_include_dirs() -> list[Path]:
    """Header directories of the C runtime: ta_status.h, the shared helpers (support/), the kernels."""
    runtime = firmware_dir() / "runtime"
    return [runtime, runtime / "support", runtime / "kernels"]


def runtime_sources(kernels: list[str]) -> list[Path]:
    """C files a compiled model needs besides model.c: the shared helpers and the kernels it calls
    (names as in the manifest's "kernels", e.g. "ta_conv2d_s8")."""
    runtime = firmware_dir() / "runtime"
    sources = sorted((runtime / "support").glob("*.c"))
    for name in kernels:
        path = runtime / "kernels" / f"{name}.c"
        if not path.is_file():
            raise CompileError(f"kernel source {path} is missing (is the firmware tree complete?)")
        sources.append(path)
    return sources


@dataclass
class CompiledModel:
    """Everything `compile` produced, in memory (write() puts it on disk)."""

    model: Model
    lowered: list[LoweredOp]
    plan: MemoryPlan
    sources: GeneratedSources
    manifest: dict[str, Any]

    @property
    def kernel_sources(self) -> list[Path]:
        """C files a build needs besides model.c."""
        return runtime_sources(self.sources.kernels)

    @property
    def include_dirs(self) -> list[Path]:
        return runtime_include_dirs()

    def write(self, out_dir: str | Path) -> Path:
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
            (out / "model.h").write_text(self.sources.model_h)
            (out / "model.c").write_text(self.sources.model_c)
            write_manifest(out / "manifest.json", self.manifest, "compiled-model")
        except OSError as err:
            raise CompileError(f"{out}: cannot write the compiled model: {err.strerror or err}") from err
        return out


def _io_entry(t: Tensor) -> dict[str, Any]:
    q = t.quant
    return {
        "shape": list(t.shape),
        "dtype": t.type_name.lower(),
        "scale": q.scale if q else None,
        "zero_point": q.zero_point if q else None,
        "tensor": t.index,
        "name": t.name,
    }


def _quant_entry(t: Tensor) -> dict[str, Any] | None:
    if t.quant is None:
        return None
    return {
        "scale": list(t.quant.scales) if t.quant.per_channel else t.quant.scale,
        "zero_point": list(t.quant.zero_points) if t.quant.per_channel else t.quant.zero_point,
    }


def resolve_embedding(model: Model, spec: str) -> Tensor:
    """The tensor named by --embedding: 'auto' (the input of the last FULLY_CONNECTED), an index or a name."""
    if spec == "auto":
        for op in reversed(model.operators):
            if op.name == "FULLY_CONNECTED":
                return model.tensors[op.inputs[0]]
        raise CompileError(
            f"{model.source}: --embedding auto needs a FULLY_CONNECTED op; name the tensor instead"
        )
    if spec.isdigit():
        index = int(spec)
        if index >= len(model.tensors):
            raise CompileError(
                f"{model.source}: --embedding {index}: the model has {len(model.tensors)} tensors"
            )
        tensor = model.tensors[index]
    else:
        matches = [t for t in model.tensors if t.name == spec]
        if not matches:
            raise CompileError(f"{model.source}: --embedding: no tensor named '{spec}'")
        tensor = matches[0]
    if tensor.is_constant or tensor.type_name != "INT8":
        raise CompileError(f"{model.source}: --embedding {tensor.describe()} must be an int8 activation")
    if not any(tensor.index in op.outputs for op in model.operators):
        raise CompileError(f"{model.source}: --embedding {tensor.describe()} is not computed by any op")
    return tensor


def compile_tflite(
    source: str | Path | bytes,
    labels: list[str] | None = None,
    frontend: Any = None,
    embedding: str | None = None,
    micro_input: str = "scale",
    feature_scale: float | None = None,
) -> CompiledModel:
    """Read, check, plan and generate. Raises CompileError before anything is written.

    `frontend` is a tinyaudio.frontend.FrontendConfig or MicroFrontendConfig (or None); `labels` must match
    the output size; `embedding` ('auto', a tensor name or index) exposes that tensor after each invocation.
    With a micro frontend, `micro_input` ("scale" or "tflm") and `feature_scale` choose how its uint16
    values become the model's int8 input (tinyaudio.frontend.micro.micro_input_rule).
    """
    model = parse_model(source) if isinstance(source, bytes) else read_model(source)
    check_graph(model)
    lowered = [lower_op(model, op) for op in model.operators]
    _, out = io_tensors(model)
    if labels is not None:
        if len(labels) != out.num_elements:
            raise CompileError(
                f"{model.source}: {len(labels)} labels given but the model output {out.describe()} has "
                f"{out.num_elements} values"
            )
        if any(not label for label in labels):
            raise CompileError(f"{model.source}: empty label in --labels")
    frontend_c = None
    frontend_h = None
    frontend_dict = None
    micro_rule = None
    if frontend is not None:
        from tinyaudio.frontend import MicroFrontendConfig, config_to_c  # the frontends' C writers

        if isinstance(frontend, MicroFrontendConfig):
            from tinyaudio.frontend.micro import micro_input_rule, micro_model_c

            inp, _ = io_tensors(model)
            if inp.type_name != "INT8" or inp.quant is None:
                raise CompileError(
                    f"{model.source}: the micro frontend feeds int8 inputs; the input is {inp.describe()}"
                )
            if inp.num_elements != frontend.num_frames * frontend.num_features:
                raise CompileError(
                    f"{model.source}: the input {inp.describe()} does not hold the micro frontend's "
                    f"{frontend.num_frames} x {frontend.num_features} values"
                )
            q = inp.quant
            micro_rule = micro_input_rule(frontend, q.scale, q.zero_point, micro_input, feature_scale)
            frontend_c, frontend_h = micro_model_c(frontend, micro_rule)
        else:
            frontend_c = config_to_c(frontend, name="ta_model_frontend")
        frontend_dict = frontend.to_dict()
    emb = resolve_embedding(model, embedding) if embedding else None
    plan = plan_memory(model, lowered, keep=(emb.index,) if emb else ())
    sources = generate(model, lowered, plan, labels, frontend_c, embedding=emb, frontend_h=frontend_h)
    manifest = _manifest(model, lowered, plan, sources, labels, frontend_dict)
    manifest["embedding"] = _io_entry(emb) if emb else None
    if micro_rule is not None:
        manifest["frontend_input"] = micro_rule.to_dict()
    if emb is not None:  # the trainable head for on-device learning (firmware/ondevice)
        manifest["head"] = add_head(sources, model, emb, frontend_dict)
    return CompiledModel(model=model, lowered=lowered, plan=plan, sources=sources, manifest=manifest)


def compile_model(
    model_path: str | Path,
    out_dir: str | Path,
    labels: list[str] | None = None,
    frontend: Any = None,
    embedding: str | None = None,
    micro_input: str = "scale",
    feature_scale: float | None = None,
) -> CompiledModel:
    """Compile `model_path` into `out_dir` (model.c, model.h, manifest.json)."""
    compiled = compile_tflite(
        model_path,
        labels=labels,
        frontend=frontend,
        embedding=embedding,
        micro_input=micro_input,
        feature_scale=feature_scale,
    )
    compiled.write(out_dir)
    return compiled


def _manifest(
    model: Model,
    lowered: list[LoweredOp],
    plan: MemoryPlan,
    sources: GeneratedSources,
    labels: list[str] | None,
    frontend: dict[str, Any] | None,
) -> dict[str, Any]:
    inp, out = io_tensors(model)
    ops: dict[str, int] = {}
    for low in lowered:
        ops[low.op.name] = ops.get(low.op.name, 0) + 1
    tensors = plan.rows(model)
    for row in tensors:
        idx = row.get("tensor")
        if isinstance(idx, int):
            row["quantization"] = _quant_entry(model.tensors[idx])
    return {
        "format_version": MANIFEST_FORMAT_VERSION,
        "model_sha256": model.sha256,
        "source": Path(model.source).name,
        "labels": labels,
        "frontend": frontend,
        "input": _io_entry(inp),
        "output": _io_entry(out),
        "arena_bytes": max(plan.arena_bytes, 16),
        "weights_bytes": sources.weights_bytes,
        "macs": sum(low.macs for low in lowered),
        "ops": ops,
        "op_sequence": [
            {
                "index": low.op.index,
                "op": low.op.name,
                "macs": low.macs,
                "inputs": [i for i in low.op.inputs],
                "outputs": list(low.op.outputs),
            }
            for low in lowered
        ],
        "tflite_bytes": model.tflite_bytes,
        "kernels": sources.kernels,
        "tensors": tensors,
    }
