"""``python -m mentorbook``: the same as the ``mentorbook`` command."""

import sys

from .cli import main

sys.exit(main())
