#!/usr/bin/env bash
# The whole pipeline on FSDD spoken digits, one `tinyaudio` command per stage, each printed before it runs:
# dataset → train + distill + int8 → evaluate in Python (LiteRT and the TFLM interpreter) → compile to C →
# run the firmware (C frontend + compiled model) on the host and on an emulated Cortex-M4 → accuracy side by side.
# Usage: scripts/demo.sh [DATA_DIR] [OUT_DIR]   (no DATA_DIR: FSDD is downloaded and verified)
set -euo pipefail
cd "$(dirname "$0")/.."
TA=${TINYAUDIO:-.venv/bin/tinyaudio}
DATA=${1:-}
OUT=${2:-runs/demo}

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

if [ -z "$DATA" ]; then
  printf '\n\033[1m$ %s\033[0m\n' "$TA datasets fetch fsdd"
  DATA=$($TA datasets fetch fsdd)
fi
mkdir -p "$OUT"
step "$TA" datasets info "$DATA"
step "$TA" train models/fsdd_dscnn.yaml --data "$DATA" -o "$OUT/fsdd"
step "$TA" eval "$OUT/fsdd/model_int8.tflite" --data "$DATA" --engine litert --json "$OUT/eval_litert.json"
step "$TA" eval "$OUT/fsdd/model_int8.tflite" --data "$DATA" --engine tflm --json "$OUT/eval_tflm.json"
step "$TA" compile "$OUT/fsdd/model_int8.tflite" -o "$OUT/fsdd_c"   # labels + frontend from the run's manifest

step "$TA" eval "$OUT/fsdd/model_int8.tflite" --data "$DATA" --engine firmware --target host --json "$OUT/eval_host.json"
step "$TA" eval "$OUT/fsdd/model_int8.tflite" --data "$DATA" --engine firmware --target qemu-m4 --json "$OUT/eval_qemu_m4.json"

printf '\n\033[1mFSDD test split, int8 accuracy by engine\033[0m\n'
.venv/bin/python - "$OUT" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
for name, label in [("eval_litert", "Python, LiteRT"), ("eval_tflm", "Python, TFLM interpreter"),
                    ("eval_host", "firmware, host build"), ("eval_qemu_m4", "firmware, QEMU Cortex-M4")]:
    result = json.loads((out / f"{name}.json").read_text())
    print(f"  {label:28s} {100 * result['accuracy']:6.2f} %  ({result['n']} clips)")
m4 = json.loads((out / "eval_qemu_m4.json").read_text())
size = m4["size"]
print(f"\nCortex-M4 (QEMU, exact counts from the instruction-count plugin): "
      f"{m4['instructions_per_inference'] / 1e6:.2f} M instructions per inference, "
      f"frontend {m4['frontend_instructions_per_second_of_audio'] / 1e6:.2f} M instructions per second of audio")
print(f"flash {size['flash_bytes']} B, RAM {size['ram_bytes']} B (arena {size['arena_bytes']} B), "
      f"stack used {size['stack_high_water_bytes']} B")
PY
