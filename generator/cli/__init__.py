"""The ``mentorbook`` command: a thin layer over the library API, one module per command.

Each command module imports only Click at the top; the pipeline is imported when a
command runs, so ``mentorbook --help`` stays fast.
"""

from __future__ import annotations

import sys

import click

from ..base import COLLECTOR_THRESHOLDS
from ..base.version import VERSION as __version__
from .options import CONTEXT

# command -> its module, which holds it under the module's name; a command's module is imported
# when the command runs or --help lists it, so that one command does not pay for making the others
COMMANDS = {name: name for name in ("build", "check", "schema", "agenda", "brief", "calendar", "log", "init",
                                    "serve", "edit", "cohort", "report")} | {"import": "import_"}


class _Commands(click.Group):
    """mentorbook's commands, each made from its module when asked for (Click's lazy group)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            import importlib

            module = COMMANDS[name]
            self.add_command(getattr(importlib.import_module(f"{__name__}.{module}"), module), name)
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="mentorbook")
def cli() -> None:
    """Build personal mentoring workbooks from YAML worksheets.

    mentorbook turns guidance for the five practices of managing up in mentoring
    (self-reflect, identify mentors, establish, cultivate, refine or conclude) and
    a trainee's filled-in worksheets into an HTML site and a printable PDF.

    Start with `mentorbook build` to build the bundled sample into output/.
    """


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, so nothing half-written is left behind."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame):
    raise Stopped(signum)


def _on_stop_signals() -> dict:
    """Turn SIGTERM and SIGHUP into Stopped (in the main thread only, where signals arrive)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    wanted = (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
    return {sig: signal.signal(sig, _stop) for sig in wanted if sig is not None}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status instead of exiting when called from code.

    However a command ends (an error, Ctrl-C, SIGTERM, SIGHUP), the staging files it was
    writing are removed (base/writer.cleanup); earlier output stays whole.
    """
    import signal

    previous = _on_stop_signals()
    try:
        # without standalone mode click returns the code of an Exit raised by a command
        result = cli.main(args=argv, prog_name="mentorbook", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except OSError as exc:  # a storage failure outside the Writer (which names its file itself): one line
        from ..base.errors import OutputError, storage_reason

        if exc.filename:
            OutputError(f"{exc.filename}: {storage_reason(exc)}").show()
        else:  # a library's own temporary file (WeasyPrint's fonts, for one), in the system's temporary folder
            OutputError(f"cannot write a temporary file: {storage_reason(exc)}; what was there before is "
                        "unchanged").show()
        return 2
    except Stopped as exc:
        click.echo(f"Stopped ({signal.Signals(exc.signum).name}); what was written before is whole.", err=True)
        return 128 + exc.signum
    finally:
        writer = _writer()
        if writer is not None:  # nothing is staged by a command that never imported the writer (--help)
            writer.cleanup()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return result if isinstance(result, int) else 0


def _writer():
    """The writer's module if the command imported it, else None (``--help`` never does)."""
    return sys.modules.get(__package__.rpartition(".")[0] + ".base.writer")


def run() -> None:
    """The command line's main(), then the exit (``mentorbook`` and ``python -m mentorbook`` come
    here through __main__.run, which first sets the collector's thresholds).

    Once the command is done, its files written, its helper processes joined and its output
    flushed, the process ends at once instead of tearing the interpreter down: freeing a PDF
    build's objects one by one took about 0.2 s, for nothing. With another thread still at
    work (none of the commands leaves one) it exits the usual way, which waits for it.

    A command makes many objects that live until it ends (modules, templates, the model) and
    few reference cycles, so the cycle collector looks at new objects every 50,000 of them
    instead of every 700 (older ones as often as before, relative to that): a site build spent
    some 5% of its time in it, and now makes fewer. ``mentorbook`` (__main__.run) sets this
    before importing Click."""
    import contextlib
    import gc
    import os
    import threading

    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    code = main()
    writer = _writer()
    if writer is not None:  # WeasyPrint's fonts, in the temporary folder of the run's own
        writer.end_scratch()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # none, or closed: nothing more to say
            stream.flush()
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    run()
