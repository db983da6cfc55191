"""Emulation: the firmware built for the host or for QEMU Cortex-M machines, fed with audio or raw
tensors, with instruction counts (own TCG plugin) and flash/RAM reports."""

from tinyaudio.emulate.build import BuildOptions, FirmwareBuild, build_firmware
from tinyaudio.emulate.firmware import FirmwareRun, load_clips, run_clips, run_wav_files
from tinyaudio.emulate.targets import TARGET_NAMES, Target, get_target

__all__ = [
    "TARGET_NAMES",
    "BuildOptions",
    "FirmwareBuild",
    "FirmwareRun",
    "Target",
    "build_firmware",
    "get_target",
    "load_clips",
    "run_clips",
    "run_wav_files",
]
