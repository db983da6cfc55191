"""tinyaudio: keyword spotting and sound-event classification for microcontrollers.

Importing this package is cheap: nothing here imports TensorFlow or builds anything.
"""

__version__ = "0.1.0"
