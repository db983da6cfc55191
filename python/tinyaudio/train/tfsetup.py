"""TensorFlow process setup: quiet logs, bounded threads (the machine is shared), deterministic ops, seeds."""

from __future__ import annotations

import os

_configured = False


def configure_tensorflow(threads: int | None = None) -> None:
    """Call before the first TF op. `threads` defaults to $TINYAUDIO_TF_THREADS or 2."""
    global _configured
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if _configured:
        return
    import tensorflow as tf

    n = threads or int(os.environ.get("TINYAUDIO_TF_THREADS", "2"))
    try:
        tf.config.threading.set_intra_op_parallelism_threads(n)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # the runtime is already initialized (e.g. in a long test session): keep its settings
    tf.config.experimental.enable_op_determinism()
    tf.get_logger().setLevel("ERROR")
    _configured = True


def seed_everything(seed: int) -> None:
    """Seed Python, numpy, TF and Keras' global generators."""
    import keras

    keras.utils.set_random_seed(int(seed))
