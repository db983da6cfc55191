"""Builds the one C audio frontend (firmware/frontend) as the `tinyaudio._frontend` extension.

Everything else about the package lives in pyproject.toml; setup.py exists only because the
extension's sources sit outside the Python tree, in firmware/, where the firmware builds them too.
"""

from pathlib import Path

import numpy
from setuptools import Extension, setup

ROOT = Path(__file__).parent
FRONTEND_C = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "firmware" / "frontend").glob("*.c"))
GLUE_C = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "python" / "tinyaudio" / "frontend").glob("*.c"))

if not GLUE_C or not FRONTEND_C:
    raise SystemExit("setup.py: the C frontend sources are missing (firmware/frontend/*.c, python/tinyaudio/frontend/*.c)")

setup(
    ext_modules=[
        Extension(
            "tinyaudio._frontend",
            sources=GLUE_C + FRONTEND_C,
            include_dirs=["firmware/frontend", numpy.get_include()],
            extra_compile_args=["-std=c99", "-O2", "-Wall", "-Wextra"],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION")],
        )
    ],
)
