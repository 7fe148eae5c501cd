"""python -m autoencoders {release,check,autograde}."""

import sys

from .cli import main

sys.exit(main())
