"""The compiler's front half: schema tables, malformed files, refusals, the memory plan, generated code."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import rt_models
from tests.support.tflite_builder import GraphBuilder

from tinyaudio.compile.compiler import compile_model, compile_tflite
from tinyaudio.compile.ir import Model
from tinyaudio.compile.planner import plan_memory
from tinyaudio.compile.reader import parse_model
from tinyaudio.compile.schema import BUILTIN_OPERATOR_NAMES, TENSOR_TYPES
from tinyaudio.errors import CompileError

MICRO_SPEECH = rt_models.tflm_models_dir() / "micro_speech_quantized.tflite"


def test_schema_tables_match_tensorflow_schema() -> None:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    ops = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    for code, name in enumerate(BUILTIN_OPERATOR_NAMES):
        if name:
            assert ops.get(code) == name, code
    types = {v: k for k, v in vars(schema.TensorType).items() if not k.startswith("_")}
    for code, info in enumerate(TENSOR_TYPES):
        if code in types:
            assert types[code] == info.name


def test_reader_reads_micro_speech() -> None:
    m = parse_model(MICRO_SPEECH.read_bytes(), source="ms.tflite")
    assert [op.name for op in m.operators] == ["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"]
    inp = m.tensors[m.inputs[0]]
    assert inp.shape == (1, 1960) and inp.type_name == "INT8" and inp.quant is not None
    weights = m.tensors[m.operators[1].inputs[1]]
    assert weights.is_constant and weights.array().shape == (1, 10, 8, 8)


def _compile_or_refuse(data: bytes) -> None:
    """Either compiles or raises CompileError; any other exception is a crash."""
    try:
        compile_tflite(data)
    except CompileError as err:
        assert str(err)  # a message, on one line
        assert "\n" not in str(err)


def test_truncated_files_give_clear_errors() -> None:
    data = MICRO_SPEECH.read_bytes()
    cuts = sorted({0, 1, 4, 7, 8, 12, 16, 64, 100, 1000} | set(range(0, len(data), 97)))
    for cut in cuts:
        with pytest.raises(CompileError):
            compile_tflite(data[:cut])


def test_random_byte_flips_never_crash() -> None:
    rng = np.random.default_rng(0)
    for path in (MICRO_SPEECH, rt_models.tflm_models_dir() / "keyword_scrambled.tflite"):
        data = bytearray(path.read_bytes())
        # Structure (offsets, vtables, vectors) sits in the first and last few hundred bytes; hit those
        # hard, and the weights in between now and then.
        positions = np.concatenate(
            [
                rng.integers(0, 600, 150),
                rng.integers(len(data) - 600, len(data), 150),
                rng.integers(0, len(data), 100),
            ]
        )
        for pos in positions:
            corrupt = bytearray(data)
            for p in (int(pos), int(pos) + int(rng.integers(1, 8))):
                if p < len(corrupt):
                    corrupt[p] = int(rng.integers(0, 256))
            _compile_or_refuse(bytes(corrupt))


@pytest.mark.parametrize("value", [0.0, float("inf"), float("nan"), -1.0, 1e-45, 3e38])
def test_absurd_quantization_scales_are_refused(value: float) -> None:
    data = MICRO_SPEECH.read_bytes()
    model = parse_model(data)
    for t in model.tensors:
        if t.quant is None:
            continue
        pos = data.find(struct.pack("<f", t.quant.scales[0]))
        if pos >= 0:
            _compile_or_refuse(data[:pos] + struct.pack("<f", value) + data[pos + 4 :])


def _edited(model: bytes, edit: object) -> bytes:
    import flatbuffers
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    m = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model, 0))
    edit(m)  # type: ignore[operator]
    fb = flatbuffers.Builder(1024)
    fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
    return bytes(fb.Output())


def test_wrong_version_two_subgraphs_and_missing_buffers_are_refused() -> None:
    data = MICRO_SPEECH.read_bytes()

    def set_version(m: object) -> None:
        m.version = 2  # type: ignore[attr-defined]

    def two_subgraphs(m: object) -> None:
        m.subgraphs.append(m.subgraphs[0])  # type: ignore[attr-defined]

    def bad_buffer(m: object) -> None:
        m.subgraphs[0].tensors[1].buffer = 999  # type: ignore[attr-defined]

    def short_weights(m: object) -> None:
        t = m.subgraphs[0].tensors[m.subgraphs[0].operators[1].inputs[1]]  # type: ignore[attr-defined]
        m.buffers[t.buffer].data = m.buffers[t.buffer].data[:10]  # type: ignore[attr-defined]

    def bad_tensor_index(m: object) -> None:
        op = m.subgraphs[0].operators[2]  # type: ignore[attr-defined]
        op.inputs = [int(i) for i in op.inputs]
        op.inputs[1] = 77

    for edit, pattern in [
        (set_version, "schema version 2"),
        (two_subgraphs, "2 subgraphs"),
        (bad_buffer, "refers to buffer 999"),
        (short_weights, "constant data is 10 bytes"),
        (bad_tensor_index, "op #2 FULLY_CONNECTED: inputs refers to tensor 77"),
    ]:
        with pytest.raises(CompileError, match=pattern):
            compile_tflite(_edited(data, edit))


def test_not_a_tflite_file() -> None:
    with pytest.raises(CompileError, match="not a TFLite model"):
        compile_tflite(b"RIFF" + bytes(100))
    with pytest.raises(CompileError, match="too short"):
        compile_tflite(b"TFL3")


def _float_fc_model() -> bytes:
    g = GraphBuilder()
    x = g.tensor("x", (1, 4), "float32")
    w = g.tensor("w", (3, 4), "float32", data=np.ones((3, 4), np.float32))
    y = g.tensor("y", (1, 3), "float32")
    g.op("FULLY_CONNECTED", [x, w], [y], options=("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    return g.build([x], [y])


def _hybrid_fc_model() -> bytes:
    """int8 I/O around a FULLY_CONNECTED whose weights are float (not a full-integer model)."""
    g = GraphBuilder()
    x = g.tensor("x", (1, 4), "int8", scale=0.1, zero_point=0)
    w = g.tensor("weights_f32", (3, 4), "float32", data=np.ones((3, 4), np.float32))
    y = g.tensor("y", (1, 3), "int8", scale=0.1, zero_point=0)
    g.op("FULLY_CONNECTED", [x, w], [y], options=("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    return g.build([x], [y])


def test_float_model_is_refused_before_writing(tmp_path: Path) -> None:
    src = tmp_path / "float.tflite"
    src.write_bytes(_float_fc_model())
    out = tmp_path / "out"
    with pytest.raises(CompileError, match="FLOAT32.*inference_input_type"):
        compile_model(src, out)
    assert not out.exists()


def test_hybrid_layer_is_refused_naming_op_index_and_tensor(tmp_path: Path) -> None:
    src = tmp_path / "hybrid.tflite"
    src.write_bytes(_hybrid_fc_model())
    with pytest.raises(CompileError) as err:
        compile_model(src, tmp_path / "out")
    msg = str(err.value)
    assert "op #0 FULLY_CONNECTED" in msg and "weights_f32" in msg and "FLOAT32" in msg
    assert not (tmp_path / "out").exists()


def test_unsupported_op_is_refused_naming_op_index_and_tensor() -> None:
    lstm = rt_models.tflm_models_dir() / "micro_speech_lstm.tflite"
    with pytest.raises(CompileError) as err:
        compile_tflite(lstm.read_bytes())
    msg = str(err.value)
    assert "op #0 UNIDIRECTIONAL_SEQUENCE_LSTM" in msg and "not supported" in msg and "tensor #" in msg


def test_custom_ops_are_refused() -> None:
    pre = rt_models.tflm_models_dir() / "audio_preprocessor_int8.tflite"
    with pytest.raises(CompileError, match="INT16|CUSTOM"):
        compile_tflite(pre.read_bytes())


def test_inconsistent_options_are_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", (1, 8, 8, 2), "int8", scale=0.1, zero_point=0)
    w = g.tensor("w", (3, 3, 3, 2), "int8", scale=0.01, zero_point=0, data=np.ones((3, 3, 3, 2)))
    y = g.tensor("y", (1, 8, 8, 3), "int8", scale=0.1, zero_point=0)  # VALID 3x3 stride 1 gives 6x6
    g.op("CONV_2D", [x, w], [y], options=("Conv2DOptions", {"padding": 1, "strideW": 1, "strideH": 1}))
    with pytest.raises(CompileError, match=r"op #0 CONV_2D: output is 8x8 but the options give 6x6"):
        compile_tflite(g.build([x], [y]))


def _check_plan(model: Model, plan_rows: list[dict[str, object]], arena: int) -> None:
    """No two tensors that are alive at the same op share bytes (unless aliased on purpose)."""
    rows = [r for r in plan_rows if r["tensor"] is not None]
    for r in rows:
        assert 0 <= int(r["offset"]) and int(r["offset"]) + int(r["bytes"]) <= arena  # type: ignore[call-overload]
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            overlap_time = not (a["last_op"] < b["first_op"] or b["last_op"] < a["first_op"])  # type: ignore[operator]
            a0, a1 = int(a["offset"]), int(a["offset"]) + int(a["bytes"])  # type: ignore[call-overload]
            b0, b1 = int(b["offset"]), int(b["offset"]) + int(b["bytes"])  # type: ignore[call-overload]
            if overlap_time and a0 < b1 and b0 < a1:
                # Only aliases may share: same offset, same group lifetime (RESHAPE-like ops).
                assert a0 == b0 and (a["first_op"], a["last_op"]) == (b["first_op"], b["last_op"]), (a, b)


@pytest.mark.parametrize(
    "name", ["micro_speech_quantized.tflite", "keyword_scrambled.tflite", "keyword_scrambled_8bit.tflite"]
)
def test_memory_plan_never_overlaps_live_tensors(name: str) -> None:
    compiled = compile_tflite((rt_models.tflm_models_dir() / name).read_bytes())
    _check_plan(compiled.model, compiled.manifest["tensors"], compiled.manifest["arena_bytes"])


def test_reshape_is_aliased_not_copied() -> None:
    compiled = compile_tflite(MICRO_SPEECH.read_bytes())
    plan = compiled.plan
    reshape = compiled.model.operators[0]
    assert plan.tensor_offsets[reshape.inputs[0]] == plan.tensor_offsets[reshape.outputs[0]]
    assert compiled.lowered[0].calls == []


def test_plan_is_smallest_of_the_orderings_and_deterministic() -> None:
    compiled = compile_tflite(MICRO_SPEECH.read_bytes())
    again = plan_memory(compiled.model, compiled.lowered)
    assert again.arena_bytes == compiled.plan.arena_bytes
    # micro_speech: input 1960 B + depthwise output 4000 B live together; nothing else needs more.
    assert compiled.plan.arena_bytes == 4000 + 1968


def test_compile_writes_api_manifest_and_labels(tmp_path: Path) -> None:
    out = tmp_path / "ms"
    compile_model(MICRO_SPEECH, out, labels=["silence", "unknown", "yes", "no"])
    header = (out / "model.h").read_text()
    for name in (
        "TA_MODEL_INPUT_BYTES 1960",
        "TA_MODEL_OUTPUT_BYTES 4",
        "TA_MODEL_NUM_LABELS 4",
        "TA_MODEL_INPUT_ZERO_POINT -128",
        "TA_MODEL_ARENA_BYTES",
        "ta_model_invoke(void)",
        "ta_model_labels[TA_MODEL_NUM_LABELS]",
    ):
        assert name in header
    manifest = json.loads((out / "manifest.json").read_text())
    for key in (
        "format_version",
        "model_sha256",
        "labels",
        "frontend",
        "input",
        "output",
        "arena_bytes",
        "weights_bytes",
        "macs",
        "ops",
        "tflite_bytes",
        "tensors",
    ):
        assert key in manifest
    assert manifest["labels"] == ["silence", "unknown", "yes", "no"]
    assert manifest["input"]["shape"] == [1, 1960] and manifest["input"]["dtype"] == "int8"
    assert manifest["macs"] == 25 * 20 * 8 * 10 * 8 + 4 * 4000
    assert manifest["weights_bytes"] >= 640 + 16000  # depthwise and FC weights at least
    with pytest.raises(CompileError, match="3 labels"):
        compile_model(MICRO_SPEECH, tmp_path / "bad", labels=["a", "b", "c"])


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc not installed")
def test_generated_code_builds_for_cortex_m4(tmp_path: Path) -> None:
    compiled = compile_tflite((rt_models.tflm_models_dir() / "keyword_scrambled.tflite").read_bytes())
    compiled.write(tmp_path)
    sources = [tmp_path / "model.c", *compiled.kernel_sources]
    includes = [f"-I{p}" for p in (tmp_path, *compiled.include_dirs)]
    for src in sources:
        proc = subprocess.run(
            [
                "arm-none-eabi-gcc",
                "-mcpu=cortex-m4",
                "-mthumb",
                "-mfloat-abi=hard",
                "-mfpu=fpv4-sp-d16",
                "-std=c99",
                "-O2",
                "-Wall",
                "-Wextra",
                "-Werror",
                *includes,
                "-c",
                str(src),
                "-o",
                str(tmp_path / (src.stem + ".o")),
            ],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr


EMBEDDING_MAIN = r"""
#include <stdio.h>
#include "model.h"
int main(int argc, char **argv)
{
    FILE *in = fopen(argv[1], "rb");
    FILE *out = fopen(argv[2], "wb");
    if (argc != 3 || in == NULL || out == NULL || ta_model_init() != TA_OK) return 1;
    while (fread(ta_model_input(), 1, TA_MODEL_INPUT_BYTES, in) == TA_MODEL_INPUT_BYTES) {
        if (ta_model_invoke() != TA_OK) return 2;
        fwrite(ta_model_embedding(), 1, TA_MODEL_EMBEDDING_BYTES, out);
    }
    fclose(in);
    return fclose(out) != 0;
}
"""


def test_embedding_stays_valid_after_invoke(tmp_path: Path) -> None:
    """--embedding auto exposes the last dense layer's input; after the whole invocation it still holds
    what tflite-micro computes for that tensor (the plan keeps it alive past its last reader)."""
    from rt_helpers import run_tflm

    data = MICRO_SPEECH.read_bytes()
    compiled = compile_tflite(data, embedding="auto")
    emb = compiled.manifest["embedding"]
    assert emb["name"] == "Relu" and emb["shape"] == [1, 25, 20, 8]
    compiled.write(tmp_path)
    (tmp_path / "main.c").write_text(EMBEDDING_MAIN)
    exe = tmp_path / "emb"
    cmd = [
        "cc",
        "-std=c99",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-O1",
        "-fsanitize=address,undefined",
        *(f"-I{p}" for p in (tmp_path, *compiled.include_dirs)),
        str(tmp_path / "main.c"),
        str(tmp_path / "model.c"),
        *(str(s) for s in compiled.kernel_sources),
        "-o",
        str(exe),
        "-lm",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    x = np.random.default_rng(3).integers(-128, 128, (5, 1960), dtype=np.int8)
    x.tofile(tmp_path / "x.bin")
    proc = subprocess.run([str(exe), str(tmp_path / "x.bin"), str(tmp_path / "e.bin")], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    ours = np.fromfile(tmp_path / "e.bin", dtype=np.int8).reshape(5, -1)

    def to_relu(m: object) -> None:
        m.subgraphs[0].outputs = [emb["tensor"]]  # type: ignore[attr-defined]

    ref = run_tflm(_edited(data, to_relu), x).reshape(5, -1)
    assert np.array_equal(ours, ref)
    with pytest.raises(CompileError, match="no tensor named"):
        compile_tflite(data, embedding="nope")


def test_in_place_requantization_shares_the_dying_input_and_stays_exact() -> None:
    from rt_helpers import assert_bit_exact

    rng = np.random.default_rng(9)
    g = GraphBuilder()
    x = g.tensor("x", (1, 24), "int8", scale=0.05, zero_point=3)
    w = g.tensor("w", (10, 24), "int8", scale=0.01, zero_point=0, data=rng.integers(-127, 128, (10, 24)))
    h = g.tensor("h", (1, 10), "int8", scale=0.08, zero_point=-4)
    r = g.tensor("r", (1, 10), "int8", scale=0.05, zero_point=10)
    y = g.tensor("y", (1, 10), "int8", scale=1.0 / 256, zero_point=-128)
    g.op("FULLY_CONNECTED", [x, w], [h], options=("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    g.op("QUANTIZE", [h], [r])
    g.op("SOFTMAX", [r], [y], options=("SoftmaxOptions", {"beta": 1.0}))
    model = g.build([x], [y])
    plan = compile_tflite(model).plan
    assert plan.tensor_offsets[h] == plan.tensor_offsets[r]  # QUANTIZE wrote over its input
    assert plan.tensor_offsets[x] != plan.tensor_offsets[h]
    assert_bit_exact(model, rng.integers(-128, 128, (20, 24), dtype=np.int8))
