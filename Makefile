# tinyaudio: `make demo` runs the pipeline end to end, `make test` runs every test suite.
# Both set up what is missing first: Debian packages (as root) and a virtualenv with pinned packages.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEBS := gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm valgrind cmake
FRONTEND_SRC := $(wildcard firmware/frontend/*.[ch] python/tinyaudio/frontend/*.c) setup.py
DATA ?=
PYTEST_ARGS ?=
# TensorFlow's C++ start-up chatter (oneDNN, CUDA probing) hides the figures; errors still show.
export TF_CPP_MIN_LOG_LEVEL ?= 2
DEMO_RUN ?= $(wildcard runs/demo/fsdd)

.PHONY: setup debs fleet test demo bench bench-quick lint clean

setup: debs $(BIN)/.ext-built

# Flower (federated simulation of device fleets) lives in its own environment: its pins of typer, rich and
# protobuf differ from ours. tinyaudio's numpy-only fleet modules reach it through a .pth file.
FLEET_VENV ?= .venv-fleet
$(FLEET_VENV)/.installed: constraints-fleet.txt
	@test -x $(FLEET_VENV)/bin/python || $(PYTHON) -m venv $(FLEET_VENV)
	$(FLEET_VENV)/bin/python -m pip install -q -c constraints-fleet.txt 'flwr[simulation]' numpy
	echo "$(CURDIR)/python" > "$$($(FLEET_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/tinyaudio-src.pth"
	@touch $@
fleet: $(FLEET_VENV)/.installed

debs:
	@scripts/ensure_debs.sh $(DEBS)

# Python packages, pinned. Rebuilt only when the pins or the package metadata change.
$(BIN)/.deps-installed: constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt pip setuptools wheel numpy
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]' --no-build-isolation
	@touch $@

# The C frontend extension, rebuilt when its sources change.
$(BIN)/.ext-built: $(BIN)/.deps-installed $(FRONTEND_SRC)
	$(BIN)/python -m pip install -q -e . --no-deps --no-build-isolation
	@touch $@

test: setup fleet
	TINYAUDIO_FLEET_PYTHON=$(CURDIR)/$(FLEET_VENV)/bin/python TINYAUDIO_NO_SKIPS=1 $(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS) tests

demo: setup
	scripts/demo.sh "$(DATA)" runs/demo

# Figures, not pass/fail. Training every shipped recipe in full takes tens of minutes on 2 cores;
# `make bench-quick` skips it and measures the firmware on the demo's model instead.
BENCH_RUNS = $(patsubst %/model_int8.tflite,%,$(wildcard runs/bench/*/model_int8.tflite))
bench: setup
	$(BIN)/python benchmarks/bench_train.py --out runs/bench
	$(MAKE) --no-print-directory bench-quick DEMO_RUN=

bench-quick: setup
	$(BIN)/python benchmarks/bench_frontend.py
	$(BIN)/python benchmarks/bench_frontend_tables.py
	$(BIN)/python benchmarks/bench_runtime.py
	$(BIN)/python benchmarks/bench_emulator.py $(BENCH_RUNS) $(DEMO_RUN)

lint: setup
	$(BIN)/ruff check python tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf build runs .pytest_cache python/tinyaudio/*.so
