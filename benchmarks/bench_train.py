"""Wall time of each training stage (features, teacher, student, int8 quantization, evaluation) for the
shipped recipes, with their test accuracies.

    nice -n 10 .venv/bin/python benchmarks/bench_train.py                  # every models/*.yaml, fold 0
    nice -n 10 .venv/bin/python benchmarks/bench_train.py models/fsdd_dscnn.yaml --set training.epochs=2

Prints figures; asserts nothing about time. TF threads: each recipe's training.threads.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("recipes", nargs="*", type=Path, help="recipes (default: models/*.yaml)")
    parser.add_argument("--set", action="append", default=[], help="recipe override, e.g. training.epochs=2")
    parser.add_argument("--out", type=Path, default=None, help="keep run folders here (default: a temp dir)")
    args = parser.parse_args(argv)

    from tinyaudio.train.pipeline import run_recipe
    from tinyaudio.train.recipe import load_recipe

    recipes = args.recipes or sorted((REPO / "models").glob("*.yaml"))
    out_root = args.out or Path(tempfile.mkdtemp(prefix="tinyaudio_bench_train_"))
    print(
        f"TF threads: the recipes' training.threads; cpus: {os.cpu_count()}, "
        f"load average: {os.getloadavg()[0]:.2f}"
    )
    columns = ("features", "teacher", "student", "quantize", "eval", "total")
    header = f"{'recipe':32} " + " ".join(f"{c:>8}" for c in columns)
    rows = []
    for path in recipes:
        recipe = load_recipe(path, args.set)
        t0 = time.perf_counter()
        result = run_recipe(recipe, out_root / recipe.name, log=lambda _m: None, progress=False)
        total = time.perf_counter() - t0
        t = result.timings
        m = result.metrics
        rows.append(
            f"{recipe.name:32} {t['features']:9.1f} {t['teacher']:8.1f} {t['student']:8.1f} "
            f"{t['quantize']:9.1f} {t['evaluate']:6.1f} {total:7.1f}   "
            f"int8 {m['int8_accuracy']:.4f} float {m['float_accuracy']:.4f} "
            f"({m['split']['name']})"
        )
        print(rows[-1], flush=True)
    print("\nseconds per stage")
    print(header)
    for row in rows:
        print(row)
    print(f"load average now: {os.getloadavg()[0]:.2f}; runs in {out_root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
