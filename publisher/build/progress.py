"""Progress: a bar on a terminal, one plain line per file in CI or a pipe."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from publisher.build.execute import Outcome


class PlainProgress:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr  # looked up now: tests and tools swap it
        self.total = self.count = 0

    def start(self, total: int) -> None:
        self.total = total

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        state = "failed" if outcome.problems else f"{outcome.pages} pages, {len(outcome.data or b''):,} bytes"
        print(f"[{self.count}/{self.total}] {outcome.task.path} ({state}, {outcome.seconds:.2f} s)",
              file=self.stream, flush=True)

    def close(self) -> None:
        pass


class RichProgress:
    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), transient=True, console=None)
        self._bar = None

    def start(self, total: int) -> None:
        self._progress.start()
        self._bar = self._progress.add_task("rendering", total=total)

    def done(self, outcome: Outcome) -> None:
        self._progress.update(self._bar, advance=1, description=outcome.task.path)

    def close(self) -> None:
        self._progress.stop()


def progress_for(stream: TextIO | None = None, quiet: bool = False):
    """A bar when a person watches a terminal; plain lines for CI and logs."""
    stream = stream or sys.stderr
    if quiet:
        return None
    if stream.isatty() and not os.environ.get("CI"):
        try:
            return RichProgress()
        except ImportError:
            pass
    return PlainProgress(stream)
