"""`python -m tinyaudio` is the same as the `tinyaudio` command."""

import sys

from tinyaudio.cli import main

sys.exit(main())
