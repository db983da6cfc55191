"""The C frontend builds warning-free for the host and Cortex-M, and runs clean under ASan/UBSan."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import fit, read_clip

from tinyaudio.frontend import compute_features, preset
from tinyaudio.frontend.host_tool import FRONTEND_WARNINGS, build_frontend_host_tool

REPO = Path(__file__).resolve().parents[3]
FRONTEND = REPO / "firmware" / "frontend"
SOURCES = sorted(FRONTEND.glob("*.c"))
WARNINGS = [
    "-std=c99",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wshadow",
    "-Wdouble-promotion",
    "-Wconversion",
    "-Wno-sign-conversion",
]
CORTEX_M4 = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]


def compile_objects(compiler: str, flags: list[str], out_dir: Path) -> None:
    for source in SOURCES:
        subprocess.run(
            [
                compiler,
                *flags,
                *WARNINGS,
                f"-I{FRONTEND}",
                "-c",
                str(source),
                "-o",
                str(out_dir / (source.stem + ".o")),
            ],
            check=True,
            capture_output=True,
            text=True,
        )


def test_host_build_is_warning_free(tmp_path: Path) -> None:
    compile_objects("gcc", ["-O2", "-pedantic"], tmp_path)


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc not installed")
@pytest.mark.parametrize("max_fft", [None, 512])
def test_cortex_m4_build_is_warning_free(tmp_path: Path, max_fft: int | None) -> None:
    limits = (
        [] if max_fft is None else [f"-DTA_FRONTEND_MAX_FFT={max_fft}u", "-DTA_FRONTEND_MAX_MEL_BINS=40u"]
    )
    compile_objects("arm-none-eabi-gcc", [*CORTEX_M4, "-Os", *limits], tmp_path)
    size = subprocess.run(
        ["arm-none-eabi-size", *map(str, sorted(tmp_path.glob("*.o")))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # No static data: all state lives in the caller's ta_frontend_t.
    for line in size.splitlines()[1:]:
        text, data, bss = (int(v) for v in line.split()[:3])
        assert data == 0 and bss == 0, line


@pytest.fixture(scope="module")
def host_tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """firmware/frontend/host/ta_frontend_host.c with the mlperf-mfcc config, under ASan + UBSan."""
    build = tmp_path_factory.mktemp("frontend-host")
    return build_frontend_host_tool(
        preset("mlperf-mfcc"), build, flags=["-O1", *FRONTEND_WARNINGS], sanitize=True
    )


def run(exe: Path, *args: str) -> str:
    result = subprocess.run([str(exe), *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "runtime error" not in result.stderr and "AddressSanitizer" not in result.stderr, result.stderr
    return result.stdout


def test_error_paths_under_sanitizers(host_tool: Path) -> None:
    assert "selfcheck ok" in run(host_tool, "selfcheck")


@pytest.mark.parametrize("mode", ["clip", "stream"])
def test_sanitized_c_program_equals_the_extension(
    host_tool: Path, mode: str, speech_clips: list[Path], tmp_path: Path
) -> None:
    config = preset("mlperf-mfcc")
    for path in speech_clips[:3]:
        audio = fit(read_clip(path), 16000)
        (tmp_path / "in.f32").write_bytes(audio.astype("<f4").tobytes())
        run(host_tool, mode, str(tmp_path / "in.f32"), str(tmp_path / "out.f32"))
        got = np.fromfile(tmp_path / "out.f32", dtype="<f4").reshape(config.shape)
        np.testing.assert_allclose(got, compute_features(audio, config), atol=1e-5, rtol=0)


def test_int16_pcm_push_equals_scaled_float(
    host_tool: Path, speech_clips: list[Path], tmp_path: Path
) -> None:
    import soundfile as sf

    pcm, _ = sf.read(str(speech_clips[4]), dtype="int16")
    pcm = np.pad(pcm, (0, max(0, 16000 - len(pcm))))[:16000]
    (tmp_path / "in.s16").write_bytes(pcm.astype("<i2").tobytes())
    run(host_tool, "i16", str(tmp_path / "in.s16"), str(tmp_path / "out.f32"))
    config = preset("mlperf-mfcc", normalize="none")  # the i16 stream runs with gain 1
    got = np.fromfile(tmp_path / "out.f32", dtype="<f4").reshape(config.shape)
    expected = compute_features(pcm.astype(np.float32) / 32768.0, config)
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)


def test_extension_glue_is_warning_free(tmp_path: Path) -> None:
    import sysconfig

    glue = REPO / "python" / "tinyaudio" / "frontend" / "_frontend_module.c"
    subprocess.run(
        [
            "gcc",
            "-std=c99",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fPIC",
            f"-I{FRONTEND}",
            f"-I{sysconfig.get_paths()['include']}",
            f"-I{np.get_include()}",
            "-DNPY_NO_DEPRECATED_API=NPY_2_0_API_VERSION",
            "-c",
            str(glue),
            "-o",
            str(tmp_path / "glue.o"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
