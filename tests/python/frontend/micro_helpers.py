"""Helpers of the micro frontend tests: the TensorFlow op as the oracle, int16 clips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from tinyaudio.frontend import MicroFrontendConfig


def read_pcm(path: Path) -> np.ndarray:
    """int16 mono PCM exactly as stored (the op's input type)."""
    pcm, _ = sf.read(str(path), dtype="int16", always_2d=True)
    assert pcm.shape[1] == 1, path
    return np.ascontiguousarray(pcm[:, 0])


def tf_microfrontend(tf: Any, pcm: np.ndarray, config: MicroFrontendConfig) -> np.ndarray:
    """tensorflow.lite.experimental.microfrontend's audio_microfrontend with EVERY argument passed explicitly
    (its Python wrapper and its registered op disagree on defaults, e.g. enable_pcan)."""
    from tensorflow.lite.experimental.microfrontend.python.ops import audio_microfrontend_op as op

    args = config.op_arguments()
    out_type = tf.uint16 if args.pop("out_type") == "uint16" else tf.float32
    result = op.audio_microfrontend(
        tf.constant(np.asarray(pcm, dtype=np.int16)),
        sample_rate=args["sample_rate"],
        window_size=args["window_size"],
        window_step=args["window_step"],
        num_channels=args["num_channels"],
        upper_band_limit=args["upper_band_limit"],
        lower_band_limit=args["lower_band_limit"],
        smoothing_bits=args["smoothing_bits"],
        even_smoothing=args["even_smoothing"],
        odd_smoothing=args["odd_smoothing"],
        min_signal_remaining=args["min_signal_remaining"],
        enable_pcan=args["enable_pcan"],
        pcan_strength=args["pcan_strength"],
        pcan_offset=args["pcan_offset"],
        gain_bits=args["gain_bits"],
        enable_log=args["enable_log"],
        scale_shift=args["scale_shift"],
        left_context=args["left_context"],
        right_context=args["right_context"],
        frame_stride=args["frame_stride"],
        zero_padding=args["zero_padding"],
        out_scale=args["out_scale"],
        out_type=out_type,
    )
    return np.asarray(result.numpy())
