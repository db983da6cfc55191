"""Shared pieces of the synthetic-tone recipes used by the training tests."""

# The frontend of every synthetic-tone recipe in these tests: 0.5 s at 8 kHz, 16 log-mel bins, 15 frames.
TONES_FRONTEND: dict[str, object] = {
    "preset": "logmel",
    "overrides": {
        "sample_rate": 8000,
        "clip_samples": 4000,
        "frame_length": 256,
        "hop_length": 256,
        "fft_length": 256,
        "num_mel_bins": 16,
        "fmin": 20.0,
        "fmax": 4000.0,
    },
}
