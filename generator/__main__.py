"""``python -m mentorbook``: the same as the ``mentorbook`` command."""

from .cli import run

run()
