"""The preview's builds: `publisher build` itself, run in one process that stays warm.

A cold `publisher build` spends most of a small rebuild importing libraries
and loading word lists (about 3 of 4.5 s for one web page); a process that
keeps them answers the next save in a fraction of that. The build runs as the
command runs it (same options, same lines, same exit codes), so the preview
shows exactly what the command would print.

The process is its own process group, away from the terminal's Ctrl-C: the
server decides when a build stops. A SIGINT stops the build as Ctrl-C stops
`publisher build` (its transaction rolls back, leaving no temporary file)
and ends the render workers at once. The templates' loaders remember what
they read by folder for the life of a process, so after a template edit the
server starts a new process rather than trust those memories.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class BuildResult:
    code: int  # the command's exit code: 0, 1 (content or render problem), 2 (usage)
    stderr: str  # what the command printed for a person: the located problems, notes
    summary: dict = field(default_factory=dict)  # `publisher build --json`'s summary, when it got that far
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.summary.get("built_paths") or self.summary.get("removed_paths"))

    @property
    def problems(self) -> list[str]:
        """The lines a failed build printed, as the command prints them; none for a good build."""
        return [line for line in self.stderr.splitlines() if line.strip()] if self.code else []


class Builder:
    """The server's side: one build at a time, in the builder process."""

    def __init__(self, args: list[str]):
        self.args = args  # `publisher build`'s options
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()  # `stop` may come from another thread than `build`
        self._closed = False

    def build(self) -> BuildResult | None:
        """Build once; None when the builder ended before answering (stopped, or crashed)."""
        with self._lock:
            if self._closed:
                return None
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            proc = self._proc
        try:
            proc.stdin.write(json.dumps(self.args) + "\n")
            proc.stdin.flush()
            answer = proc.stdout.readline()
        except (OSError, ValueError):  # the pipe closed under us: `stop` ran
            return None
        if not answer:
            proc.wait()
            return None
        return BuildResult(**json.loads(answer))

    def restart(self) -> None:
        """The next build starts a fresh process (after a template edit)."""
        self.stop(close=False)

    def stop(self, timeout: float = 60.0, close: bool = True) -> None:
        """End the builder, and a build under way, leaving nothing behind; closed, it builds no more."""
        with self._lock:
            proc, self._proc = self._proc, None
            self._closed = self._closed or close
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGINT)
        for pipe in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:  # a build that does not stop: its whole group goes
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def _start(self) -> None:
        self._proc = subprocess.Popen([sys.executable, "-m", "publisher.preview.builder"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      encoding="utf-8", start_new_session=True)


# -- the builder process ------------------------------------------------------------------------


def _interrupted(signum, frame) -> None:
    """Stop the build, and its render workers with it (they share this process group)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.killpg(0, signal.SIGINT)
    raise KeyboardInterrupt


def _worker_quits_quietly() -> None:
    """A render worker ends at once on SIGINT: it writes no file, and a traceback would only alarm."""
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))


def _die_with_server() -> None:
    """A server killed outright (SIGKILL) still stops its builder, which then cleans up as on Ctrl-C."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGINT)


def run_build(args: list[str]) -> BuildResult:
    import click

    from publisher.cli import main as cli

    err = io.StringIO()
    out = io.StringIO()
    started = time.perf_counter()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(["build", "--json", *args], prog_name="publisher", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except click.exceptions.Abort:
            raise KeyboardInterrupt from None
        except click.ClickException as exc:  # a wrong option: the line alone, not `build`'s usage
            click.echo(f"Error: {exc.format_message()}", err=True)
            code = exc.exit_code
    try:
        summary = json.loads(out.getvalue() or "{}")
    except ValueError:
        summary = {}
    return BuildResult(code, err.getvalue(), summary, round(time.perf_counter() - started, 3))


def main() -> None:
    _die_with_server()
    signal.signal(signal.SIGINT, _interrupted)
    os.register_at_fork(after_in_child=_worker_quits_quietly)
    # Answers go on a private copy of standard output; anything else printed goes to the terminal.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    import publisher.cli  # noqa: F401  (warm before the first request)

    try:
        for request in sys.stdin:
            result = run_build(json.loads(request))
            answers.write(json.dumps(result.__dict__) + "\n")
            answers.flush()
    except (KeyboardInterrupt, BrokenPipeError):
        pass


if __name__ == "__main__":
    main()
