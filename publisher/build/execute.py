"""Execute: render tasks, one after another, in a process pool, or on Dask.

Every executor runs the same module-level `render_one`, so a file's bytes
never depend on where it was made. Results come back as they finish; the
caller stages each one on disk at once, so memory holds one file per worker,
not the whole catalogue.
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context

from publisher.build.plan import Task
from publisher.errors import Problem, RenderError
from publisher.targets import DerivedJob, FileJob, IndexJob, RenderJob, targets


@dataclass
class Outcome:
    task: Task
    data: bytes | None = None
    pages: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time over `seconds` (bench/: a file's cost without idle waits)
    peak_rss_kb: int = 0  # of the process that rendered it
    worker: int = 0
    choice: dict | None = None  # what a searching target chose (`Rendered.choice`)
    layouts: int = 0  # WeasyPrint layouts made for this file, whole or stopped early
    checked: tuple | None = None  # the output gates' (findings, scores), before waivers
    cached: bool = False  # taken from the render cache, not rendered


@dataclass(frozen=True)
class Prerendered:
    """A file taken from the render cache (`render_cache`) whose output gates must run again."""

    job: RenderJob
    data: bytes
    pages: int
    choice: dict | None


def render_one(task: Task, job: RenderJob | FileJob | DerivedJob | IndexJob | Prerendered, checks=None) -> Outcome:
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = Outcome(task, worker=os.getpid())
    if isinstance(job, FileJob):  # made when planned: nothing to render
        outcome.data = job.data
        return outcome
    layouts_before = _layouts_made()
    target = targets()[task.format]
    try:
        if isinstance(job, Prerendered):
            outcome.data, outcome.pages, outcome.choice, outcome.cached = job.data, job.pages, job.choice, True
            job = job.job
        else:
            if isinstance(job, DerivedJob):
                rendered = target.render_derived(job)
            elif isinstance(job, IndexJob):
                rendered = target.render_index(job)
            else:
                rendered = target.render(job)
            outcome.data, outcome.pages, outcome.choice = rendered.data, rendered.pages, rendered.choice
    except RenderError as exc:
        outcome.problems = exc.problems
    except Exception as exc:  # a bug: report it with the file it broke, keep the others going
        outcome.problems = [Problem(task.path, 1, 1, "(internal error)", f"{type(exc).__name__}: {exc}",
                                    "this is a bug in publisher; please report it with this trace:\n"
                                    + traceback.format_exc())]
    outcome.seconds = 0.0 if outcome.cached else time.perf_counter() - started  # checking is not rendering
    outcome.cpu_seconds = 0.0 if outcome.cached else time.process_time() - cpu_started
    outcome.layouts = _layouts_made() - layouts_before
    # The output gates, where the file was made; they read an article's file (not a picture of one, nor an index).
    if checks is not None and not outcome.problems and isinstance(job, RenderJob):
        from publisher.checks.run import output_subject

        outcome.checked = checks.run(output_subject(task, job, outcome.data, outcome.pages))
    outcome.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _settle(task.format)
    return outcome


def _layouts_made() -> int:
    weasy = sys.modules.get("publisher.targets._weasy")  # not imported by a target that lays nothing out
    return weasy.layouts_made() if weasy else 0


_settled: set[str] = set()  # the formats this process has rendered


def _settle(kind: str) -> None:
    """After a process's first file of a kind, keep what it holds out of the collector's way.

    Every full collection walks every object the process holds: a worker holds
    the catalogue it was forked with, the renderer's modules and its font and
    measuring caches, so each one took about 65 ms, and they came every few
    files (5 % of the render time of a catalogue's handouts). `gc.freeze` puts
    what exists now in a generation that collections skip. One collection
    first, so that the first file's garbage is not kept for good.
    """
    if kind in _settled:
        return
    _settled.add(kind)
    gc.collect()
    gc.freeze()


def execute(work: list[tuple[Task, RenderJob | FileJob | Prerendered]], jobs: int, executor: str = "local",
            scheduler: str | None = None, checks=None) -> Iterator[Outcome]:
    """Render each task; with `checks` (`checks.run.OutputChecks`), run the output gates on each file too."""
    if not work:
        return iter(())
    if executor == "dask":
        return _dask(work, scheduler, checks)
    if jobs <= 1 or len(work) == 1:
        return (render_one(task, job, checks) for task, job in work)
    return _pool(work, jobs, checks)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A worker ends when the build that started it ends, even by SIGKILL:
    otherwise it would render on for nobody, outliving the build."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends workers
        return
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _pool(work: list[tuple[Task, RenderJob]], jobs: int, checks=None) -> Iterator[Outcome]:
    # fork: workers start at once with the parent's modules already imported.
    with ProcessPoolExecutor(max_workers=min(jobs, len(work)), mp_context=get_context("fork"),
                             initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(render_one, task, job, checks) for task, job in work]
        for future in as_completed(futures):
            yield future.result()


def _dask(work: list[tuple[Task, RenderJob]], scheduler: str | None, checks=None) -> Iterator[Outcome]:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise RenderError([Problem("(command line)", 1, 1, "--executor",
                                   "the Dask executor is not installed",
                                   "install it with `pip install 'publisher[dask]'`")]) from None
    with Client(scheduler):
        from distributed import get_client

        futures = get_client().map(render_one, [t for t, _ in work], [j for _, j in work],
                                   [checks] * len(work), pure=False)
        for future in dask_completed(futures):
            yield future.result()
