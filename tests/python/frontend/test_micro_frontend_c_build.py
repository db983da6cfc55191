"""The micro frontend's C: integer-only on an FPU-less core (Cortex-M0+, soft float), clean under
ASan/UBSan on the host, and const tables generated on the host identical to tables built at init."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from micro_helpers import read_pcm

from tinyaudio.cbuild import STRICT_FLAGS, compile_executable, cortex_m_flags, run
from tinyaudio.frontend import MicroFrontendConfig, any_preset, compute_micro_features, micro_tables_to_c
from tinyaudio.frontend.micro import apply_output
from tinyaudio.resources import firmware_dir

FRONTEND = firmware_dir() / "frontend"
PER_FRAME = [FRONTEND / "ta_micro_frontend.c", FRONTEND / "ta_fft_i16.c"]
# Soft-float helpers of libgcc (AEABI and GNU names) and libm: none may be linked into the per-frame code.
FLOAT_SYMBOL = re.compile(
    r"^(__aeabi_[fd]\w+|__aeabi_u?[il]2[fd]|__\w+[sdt]f[23i]?\b|__float\w+|__fix\w+|__extend\w+|__trunc\w+|"
    r"(sqrt|cos|sin|log|log1p|pow|exp|floor)f?)$"
)
ARM_GCC = shutil.which("arm-none-eabi-gcc")

CONFIGS: dict[str, MicroFrontendConfig] = {
    "micro-frontend": any_preset("micro-frontend"),  # type: ignore[dict-item]
    "micro-frontend-speech": any_preset("micro-frontend-speech"),  # type: ignore[dict-item]
    "context": MicroFrontendConfig(
        window_size=25,
        window_step=10,
        num_channels=32,
        enable_pcan=False,
        left_context=2,
        right_context=3,
        frame_stride=2,
        zero_padding=True,
    ),
}


def tables_source(config: MicroFrontendConfig, path: Path) -> Path:
    path.write_text('#include "ta_micro_frontend.h"\n' + micro_tables_to_c(config, "ta_host_mfe_tables"))
    return path


def linked_symbols(elf: Path) -> set[str]:
    out = run(["arm-none-eabi-nm", str(elf)], "arm-none-eabi-nm").stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def link_m0plus(tmp_path: Path, config: MicroFrontendConfig, *, build_tables: bool) -> Path:
    """A Cortex-M0+ (no FPU, -mfloat-abi=soft) program that streams PCM through the micro frontend: with
    the host-generated const tables, or (the control) building its tables at boot."""
    main = tmp_path / "main.c"
    init = (
        "static ta_mfe_table_storage_t storage;\n"
        "static int init(void) { return ta_mfe_init(&fe, &ta_host_mfe_tables.config, &storage); }\n"
        if build_tables
        else "static int init(void) { return ta_mfe_init_const(&fe, &ta_host_mfe_tables); }\n"
    )
    main.write_text(
        '#include "ta_micro_frontend.h"\n'
        "extern const ta_mfe_tables_t ta_host_mfe_tables;\n"
        "static ta_mfe_t fe;\n"
        "static int16_t pcm[160];\n"
        "static uint16_t row[TA_MFE_MAX_STACK * TA_MFE_MAX_CHANNELS];\n"
        "volatile uint32_t sink;\n" + init + "int main(void)\n{\n    uint32_t used;\n    int k;\n"
        "    if (init() != TA_MFE_OK) { return 1; }\n"
        "    for (k = 0; k < 100; ++k) {\n"
        "        if (ta_mfe_push(&fe, pcm, 160u, &used, row) == TA_MFE_OK) { sink += row[0]; }\n"
        "    }\n"
        "    while (ta_mfe_flush(&fe, row) == TA_MFE_OK) { sink += row[1]; }\n"
        "    return 0;\n}\n"
    )
    sources = [main, tables_source(config, tmp_path / "tables.c"), *PER_FRAME]
    if build_tables:
        sources.append(FRONTEND / "ta_micro_frontend_tables.c")
    elf = tmp_path / ("boot_tables.elf" if build_tables else "const_tables.elf")
    run(
        [
            "arm-none-eabi-gcc",
            *cortex_m_flags("cortex-m0plus"),
            *STRICT_FLAGS,
            "-Os",
            "-ffunction-sections",
            "-fdata-sections",
            "-Wl,--gc-sections",
            "--specs=nosys.specs",
            f"-I{FRONTEND}",
            *map(str, sources),
            "-lm",
            "-o",
            str(elf),
        ],
        "linking the micro frontend for Cortex-M0+",
    )
    return elf


@pytest.mark.skipif(ARM_GCC is None, reason="arm-none-eabi-gcc not installed")
def test_per_frame_code_links_no_floating_point_on_cortex_m0plus(tmp_path: Path) -> None:
    config = CONFIGS["micro-frontend"]
    elf = link_m0plus(tmp_path, config, build_tables=False)
    floats = sorted(s for s in linked_symbols(elf) if FLOAT_SYMBOL.match(s))
    assert floats == [], floats
    # Each object on its own references no float helper either (the linker cannot hide one).
    for source in PER_FRAME:
        obj = tmp_path / (source.stem + ".o")
        run(
            [
                "arm-none-eabi-gcc",
                *cortex_m_flags("cortex-m0plus"),
                *STRICT_FLAGS,
                "-Os",
                f"-I{FRONTEND}",
                "-c",
                str(source),
                "-o",
                str(obj),
            ],
            f"compiling {source.name} for Cortex-M0+",
        )
        undefined = run(["arm-none-eabi-nm", "-u", str(obj)], "arm-none-eabi-nm").stdout.split()
        assert not [s for s in undefined if FLOAT_SYMBOL.match(s)], (source.name, undefined)


@pytest.mark.skipif(ARM_GCC is None, reason="arm-none-eabi-gcc not installed")
def test_the_float_check_sees_the_table_builder(tmp_path: Path) -> None:
    """Control: building the tables at boot does link soft-float helpers, so the check above can fail."""
    elf = link_m0plus(tmp_path, CONFIGS["micro-frontend"], build_tables=True)
    assert any(FLOAT_SYMBOL.match(s) for s in linked_symbols(elf))


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def host_tool(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """firmware/frontend/host/ta_micro_frontend_host.c with a config's const tables, under ASan + UBSan."""
    name = str(request.param)
    build = tmp_path_factory.mktemp(f"micro-host-{name}")
    exe = compile_executable(
        [
            *PER_FRAME,
            FRONTEND / "ta_micro_frontend_tables.c",
            FRONTEND / "host" / "ta_micro_frontend_host.c",
            tables_source(CONFIGS[name], build / "tables.c"),
        ],
        "ta_micro_frontend_host",
        include_dirs=[FRONTEND],
        flags=("-O1",),
        sanitize=True,
        cache_dir=build,
    )
    return exe, name


def run_tool(exe: Path, *args: str) -> str:
    result = subprocess.run([str(exe), *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "runtime error" not in result.stderr and "AddressSanitizer" not in result.stderr, result.stderr
    return result.stdout


def test_const_tables_equal_built_tables_and_error_paths(host_tool: tuple[Path, str]) -> None:
    exe, _ = host_tool
    assert "tables ok" in run_tool(exe, "tables")
    assert "selfcheck ok" in run_tool(exe, "selfcheck")


def test_sanitized_c_program_equals_the_extension(
    host_tool: tuple[Path, str], speech_clips: list[Path], micro_speech_clips: list[Path], tmp_path: Path
) -> None:
    exe, name = host_tool
    config = CONFIGS[name]
    for path in [speech_clips[3], micro_speech_clips[0], micro_speech_clips[-1]]:
        pcm = read_pcm(path)
        (tmp_path / "in.s16").write_bytes(pcm.astype("<i2").tobytes())
        expected = compute_micro_features(pcm, config)
        for mode, extra in (
            ("clip", ()),
            ("built", ()),
            ("stream", ("1",)),
            ("stream", ("97",)),
            ("stream", ("4000",)),
        ):
            run_tool(exe, mode, str(tmp_path / "in.s16"), str(tmp_path / "out.u16"), *extra)
            raw = np.fromfile(tmp_path / "out.u16", dtype="<u2").reshape(-1, config.num_features)
            np.testing.assert_array_equal(
                apply_output(raw, config), expected, err_msg=f"{path} {mode} {extra}"
            )


def test_extension_glue_is_warning_free(tmp_path: Path) -> None:
    import sysconfig

    import tinyaudio.frontend

    glue = Path(tinyaudio.frontend.__file__).parent / "_micro_frontend_module.c"
    run(
        [
            "gcc",
            *STRICT_FLAGS,
            "-O2",
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
        "compiling the micro frontend's extension glue",
    )
