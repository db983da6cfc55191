"""Const frontend tables generated at build time: the numbers the C builder makes, bit for bit, and the
same features as tables built at init (whole clip and streaming), under ASan/UBSan; the generated C
builds warning-free for the host and the Cortex-M4 and puts everything in .rodata."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import fit, read_clip

from tinyaudio.errors import FrontendConfigError
from tinyaudio.frontend import (
    FrontendConfig,
    compute_features,
    config_to_c,
    frontend_tables,
    preset,
    tables_to_c,
)
from tinyaudio.frontend.host_tool import FRONTEND_WARNINGS, build_frontend_host_tool

REPO = Path(__file__).resolve().parents[3]
FRONTEND = REPO / "firmware" / "frontend"
SOURCES = sorted(FRONTEND.glob("*.c"))
WARNINGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wdouble-promotion", "-Wconversion",
            "-Wno-sign-conversion"]
CORTEX_M4 = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]

# Every table variant: TF and librosa mel constructions, with and without DCT, centered framing, a
# symmetric window shorter than the FFT, and the largest FFT/mel bank the default build allows.
CONFIGS: dict[str, FrontendConfig] = {
    "mlperf-mfcc": preset("mlperf-mfcc"),
    "logmel": preset("logmel"),
    "mfcc-center": preset("mfcc", center=True),
    "fsdd-8k-symmetric": preset("logmel", sample_rate=8000, clip_samples=8000, frame_length=200,
                                hop_length=80, fft_length=256, fmax=4000.0, window="hann_symmetric",
                                mel_norm="none"),
    "max-limits": preset("mfcc", sample_rate=48000, clip_samples=4800, frame_length=1024, hop_length=512,
                         fft_length=1024, num_mel_bins=128, fmax=24000.0, num_coeffs=128),
}


def host_program(config: FrontendConfig, build: Path) -> Path:
    """firmware/frontend/host/ta_frontend_host.c + config_to_c(config) (config and its const tables)."""
    return build_frontend_host_tool(config, build, flags=["-O1", *FRONTEND_WARNINGS], sanitize=True)


def run(exe: Path, *args: str) -> str:
    result = subprocess.run([str(exe), *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "runtime error" not in result.stderr and "AddressSanitizer" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def program(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[FrontendConfig, Path]:
    config = CONFIGS[request.param]
    return config, host_program(config, tmp_path_factory.mktemp(f"tables-{request.param}"))


def test_const_tables_equal_the_tables_built_at_init(program: tuple[FrontendConfig, Path]) -> None:
    config, exe = program
    out = run(exe, "tables")
    assert out.startswith("tables equal:"), out
    assert f"window {config.frame_length}," in out and f"mel {config.num_mel_bins} bands" in out


def test_error_paths_and_const_table_checks(program: tuple[FrontendConfig, Path]) -> None:
    assert "selfcheck ok" in run(program[1], "selfcheck")


def _features(exe: Path, mode: str, const: bool, audio: np.ndarray, tmp: Path, shape: tuple[int, int]
              ) -> np.ndarray:
    src = tmp / "in.f32"
    dst = tmp / f"out-{mode}-{const}.f32"
    audio.astype("<f4").tofile(src)
    run(exe, *(["--const"] if const else []), mode, str(src), str(dst))
    frames = np.fromfile(dst, dtype="<f4")
    return frames.reshape(-1, shape[1])


def test_features_with_const_tables_equal_features_with_built_tables(
    program: tuple[FrontendConfig, Path], speech_clips: list[Path], tmp_path: Path
) -> None:
    config, exe = program
    clips = [np.random.default_rng(3).uniform(-0.7, 0.7, config.clip_samples).astype(np.float32)]
    if config.sample_rate == 16000:
        clips += [fit(read_clip(p), config.clip_samples) for p in speech_clips[:2]]
    for audio in clips:
        for mode in ("clip", "stream"):
            built = _features(exe, mode, False, audio, tmp_path, config.shape)
            const = _features(exe, mode, True, audio, tmp_path, config.shape)
            assert built.shape[0] >= config.num_frames
            assert built.tobytes() == const.tobytes(), mode
        # And the extension (tables built at init, -O2) computes the same numbers.
        np.testing.assert_array_equal(built[: config.num_frames], compute_features(audio, config))


def _c_array(source: str, name: str) -> list[str]:
    match = re.search(rf"{name}\[\d+\] = \{{(.*?)\}};", source, re.S)
    assert match, name
    return [item.strip() for item in match.group(1).split(",") if item.strip()]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_printed_numbers_are_the_extension_numbers(name: str) -> None:
    """Python prints float32 values in cgen's shortest round-trip form: parsing them gives the same bits."""
    config = CONFIGS[name]
    tables = frontend_tables(config)
    source = tables_to_c(config, name="t")
    keys = ["window", "fft_cos", "fft_sin", "mel_weights"] + (["dct_cos"] if config.dct != "none" else [])
    for key in keys:
        printed = np.array([np.float32(v.rstrip("f")) for v in _c_array(source, f"t_{key}")],
                           dtype=np.float32)
        assert printed.tobytes() == np.asarray(tables[key], dtype=np.float32).tobytes(), key
    for key in ("fft_swaps", "mel_first_bin", "mel_num_weights"):
        printed_u16 = np.array([int(v.rstrip("u")) for v in _c_array(source, f"t_{key}")], dtype=np.uint16)
        np.testing.assert_array_equal(printed_u16, tables[key])
    assert int(np.sum(tables["mel_num_weights"])) == len(tables["mel_weights"])
    # The swaps are the bit-reversal permutation of the n/2 complex points.
    m = config.fft_length // 2
    order = np.arange(m)
    for i, j in tables["fft_swaps"].reshape(-1, 2):
        order[[i, j]] = order[[j, i]]
    bits = m.bit_length() - 1
    np.testing.assert_array_equal(order, [int(f"{k:0{bits}b}"[::-1], 2) if bits else 0 for k in range(m)])


def test_sparse_tables_are_the_dense_filterbank_and_window() -> None:
    import tinyaudio._frontend as ext
    from tinyaudio.frontend import c_fields

    config = preset("logmel")
    native = ext.Frontend(c_fields(config))
    tables = frontend_tables(config)
    dense = np.zeros((config.num_mel_bins, config.fft_length // 2 + 1), dtype=np.float32)
    offset = 0
    bands = zip(tables["mel_first_bin"], tables["mel_num_weights"], strict=True)
    for band, (first, count) in enumerate(bands):
        dense[band, first : first + count] = tables["mel_weights"][offset : offset + count]
        offset += count
    np.testing.assert_array_equal(dense, native.mel_weights())
    np.testing.assert_array_equal(tables["window"], native.window())
    assert tables["version"] == ext.TABLES_VERSION


def test_config_to_c_options_and_names() -> None:
    config = preset("mlperf-mfcc")
    assert "ta_frontend_tables_t" not in config_to_c(config, tables=False)
    assert "const ta_frontend_tables_t my_fe_tables = {" in config_to_c(config, name="my_fe")
    assert "cos_table = NULL" in tables_to_c(preset("logmel"))  # no DCT, no DCT table
    with pytest.raises(FrontendConfigError):
        tables_to_c(config, name="not a name")


@pytest.mark.parametrize("compiler", ["gcc", "arm-none-eabi-gcc"])
def test_generated_tables_compile_warning_free_into_rodata(compiler: str, tmp_path: Path) -> None:
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} not installed")
    flags = CORTEX_M4 + ["-Os", "-DTA_FRONTEND_MAX_FFT=512u", "-DTA_FRONTEND_MAX_MEL_BINS=40u"] \
        if compiler.startswith("arm") else ["-O2", "-pedantic"]
    for name in ("mlperf-mfcc", "logmel"):
        source = tmp_path / f"{name}.c"
        source.write_text('#include "ta_frontend.h"\n' + config_to_c(CONFIGS[name]))
        obj = tmp_path / f"{name}.o"
        subprocess.run([compiler, *flags, *WARNINGS, f"-I{FRONTEND}", "-c", str(source), "-o", str(obj)],
                       check=True, capture_output=True, text=True)
        if not compiler.startswith("arm"):
            continue  # (a PIE host puts const structs holding pointers in .data.rel.ro)
        line = subprocess.run(["arm-none-eabi-size", str(obj)], check=True, capture_output=True,
                              text=True).stdout.splitlines()[1]
        text, data, bss = (int(v) for v in line.split()[:3])
        # All const: config + tables live in flash (.rodata counts as text), nothing in RAM.
        assert data == 0 and bss == 0, line
        assert text > 4 * (CONFIGS[name].frame_length + CONFIGS[name].fft_length), line
