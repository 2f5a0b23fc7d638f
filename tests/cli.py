"""The ``graphapp`` command run inside the test process: :func:`run` calls ``graphapp.cli.main(argv)`` with
stdout and stderr captured and answers like ``subprocess.run(..., capture_output=True, text=True)``
(``.returncode``, ``.stdout``, ``.stderr``).

Starting ``python -m graphapp`` costs about a third of a second of interpreter and import start-up per
call, and the CLI tests make over a hundred calls; the command itself is the same code either way. Tests
where the process is the point keep a real one (tests/test_cli.py: ``python -m graphapp`` against the
console script, the exit code of the real process, killing a command mid-transaction, ``serve``).

Each call runs as a fresh process would: the environment overrides are applied to ``os.environ`` for the
call only; what the command sets up for its process (the garbage collector's thresholds,
``service.configure_process``) and the in-memory caches a fresh process starts without (the graph view
and the owners of shared people, both per store location and version) are put back afterwards. An
exception the command does not handle ends the call as it would end the process: exit code 1 with the
traceback on stderr. ``argparse`` ends a usage error with ``SystemExit(2)``: that is the exit code.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graphapp import service
from graphapp.cli import main


@dataclass
class Ran:
    """What a finished command left: the shape of :class:`subprocess.CompletedProcess` the tests read."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str = field(repr=False)


def run(*args: str, env: Mapping[str, str | None] | None = None, check: bool = False,
        cwd: str | Path | None = None) -> Ran:
    """Run ``graphapp ARGS`` in this process; ``env`` adds to (or overrides) the environment for the call (a
    None value removes the variable), ``cwd`` is the working directory for the call. ``check``: assert exit
    code 0 (stderr as the message)."""
    out, err = io.StringIO(), io.StringIO()
    with _environment(env), _working_directory(cwd), _fresh_process_state(), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: usage errors (2), --help (0)
            code = _exit_code(exc.code, err)
        except BaseException:  # what the interpreter does with an exception nobody caught
            traceback.print_exc(file=err)
            code = 1
    result = Ran(list(args), code, out.getvalue(), err.getvalue())
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _exit_code(code: object, err: io.StringIO) -> int:
    """The process's exit status for ``sys.exit(code)``: an int as it is, None 0, anything else printed, 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


@contextlib.contextmanager
def _environment(overrides: Mapping[str, str | None] | None) -> Iterator[None]:
    """``os.environ`` with ``overrides`` for the block (None: unset); afterwards exactly as before (also
    whatever the command itself set or removed)."""
    saved = dict(os.environ)
    for key, value in (overrides or {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        for key, value in saved.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


@contextlib.contextmanager
def _working_directory(cwd: str | Path | None) -> Iterator[None]:
    if cwd is None:
        yield
        return
    before = os.getcwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _fresh_process_state() -> Iterator[None]:
    """Put back what a command sets for its whole process, and drop the caches a new process would not
    have, so one call cannot change the next (or the tests around it)."""
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        service.drop_caches()
