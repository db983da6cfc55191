"""The frontend as C source: its configuration struct (`config_to_c`) and its tables (`tables_to_c`), numbers
built by the C frontend and printed by Python.

`ta_frontend_build_tables()` (firmware/frontend) runs on the host through the `tinyaudio._frontend`
extension; this module only formats its output as `static const` arrays and one
`const ta_frontend_tables_t`, so a device can call `ta_frontend_init_const()` instead of building the
window, twiddles, mel weights and DCT table at boot. No table math is done here: every value is the
float32 the C builder produced, printed by tinyaudio.cgen (shortest text that reads back exactly).
"""

from __future__ import annotations

from typing import Any

from tinyaudio.cgen import c_array, c_float
from tinyaudio.errors import FrontendConfigError
from tinyaudio.frontend.config import FORMAT_VERSION, FrontendConfig, config_fields_c
from tinyaudio.frontend.native import native


def frontend_tables(config: FrontendConfig) -> dict[str, Any]:
    """Every table the C frontend uses for `config`, as built by ta_frontend_build_tables():
    float32/uint16 arrays (window, fft_cos, fft_sin, fft_swaps, mel_first_bin, mel_num_weights, mel_weights,
    dct_cos, dct_scale_first, dct_scale_rest) and ints (version, fft_n, mel_num_bands, dct_*)."""
    return native(config).tables()  # type: ignore[no-any-return]


def tables_to_c(config: FrontendConfig, name: str = "ta_model_frontend_tables") -> str:
    """C99 definitions: the tables' `static const` arrays (named `<name>_*`) and
    `const ta_frontend_tables_t <name>` (needs #include "ta_frontend.h")."""
    if not name.isidentifier():
        raise FrontendConfigError(f"{name!r} is not a C identifier")
    t = frontend_tables(config)
    has_dct = int(t["dct_type"]) != 0
    parts = [
        f"/* tinyaudio frontend tables (layout {t['version']}): built on the host by the C frontend's\n"
        " * ta_frontend_build_tables() and printed as numbers; ta_frontend_init_const() uses them as they\n"
        " * are. */",
    ]
    arrays = [
        ("float", "window", f"Hann window, {config.frame_length} values"),
        ("float", "fft_cos", f"cos(2 pi k / {t['fft_n']})"),
        ("float", "fft_sin", f"sin(2 pi k / {t['fft_n']})"),
        ("uint16_t", "fft_swaps", "bit-reversal permutation: pairs to swap"),
        ("uint16_t", "mel_first_bin", "first spectrum bin per mel band"),
        ("uint16_t", "mel_num_weights", "non-zero weights per mel band"),
        ("float", "mel_weights", "mel weights, band after band"),
    ]
    if has_dct:
        num_in = int(t["dct_num_in"])
        arrays.append(("float", "dct_cos", f"cos(pi j / {2 * num_in}), j < {4 * num_in}"))
    parts += [c_array(c_type, f"{name}_{key}", t[key], comment=comment) for c_type, key, comment in arrays]
    config_lines = "\n".join("        " + line for line in config_fields_c(config))
    dct_table = f"{name}_dct_cos" if has_dct else "NULL"
    parts.append(
        f"""const ta_frontend_tables_t {name} = {{
    .version = {t['version']}u,
    .config = {{
{config_lines}
    }},
    .window = {name}_window,
    .fft = {{
        .n = {t['fft_n']}u,
        .num_swaps = {len(t['fft_swaps']) // 2}u,
        .cos_table = {name}_fft_cos,
        .sin_table = {name}_fft_sin,
        .swaps = {name}_fft_swaps,
    }},
    .mel = {{
        .num_bands = {t['mel_num_bands']}u,
        .num_weights_total = {len(t['mel_weights'])}u,
        .first_bin = {name}_mel_first_bin,
        .num_weights = {name}_mel_num_weights,
        .weights = {name}_mel_weights,
    }},
    .dct = {{
        .type = {t['dct_type']}u,
        .num_in = {t['dct_num_in']}u,
        .num_out = {t['dct_num_out']}u,
        .scale_first = {c_float(t['dct_scale_first'][0])},
        .scale_rest = {c_float(t['dct_scale_rest'][0])},
        .cos_table = {dct_table},
    }},
}};"""
    )
    return "\n".join(parts) + "\n"


def config_to_c(config: FrontendConfig, name: str = "ta_model_frontend", tables: bool = True) -> str:
    """C99 definitions (need #include "ta_frontend.h"): `const ta_frontend_config_t <name> = {...};` and,
    with `tables`, `const ta_frontend_tables_t <name>_tables` with its const arrays, built by the C
    frontend on this host (tables_to_c above), for ta_frontend_init_const() on a device."""
    if not name.isidentifier():
        raise FrontendConfigError(f"{name!r} is not a C identifier")
    lines = [
        f"/* tinyaudio frontend config (format {FORMAT_VERSION}): {config.num_frames} frames x "
        f"{config.num_features} features */",
        f"const ta_frontend_config_t {name} = {{",
        *("    " + line for line in config_fields_c(config)),
        "};",
    ]
    text = "\n".join(lines) + "\n"
    if tables:
        text += "\n" + tables_to_c(config, name=f"{name}_tables")
    return text
