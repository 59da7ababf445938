"""``python -m mentorbook`` and the ``mentorbook`` command."""


def run() -> None:
    """The command (cli.run), with the cycle collector's thresholds set first: a command's imports
    (Click, Jinja, the library) then run without the 15 or so collections they set off at
    Python's default, each looking at every new object (about 1.5 ms of a site build)."""
    import gc

    from .base import COLLECTOR_THRESHOLDS

    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    from .cli import run as command

    command()


if __name__ == "__main__":
    run()
