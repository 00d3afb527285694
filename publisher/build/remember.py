"""Layouts remembered per file: what a searching target chose last time, tried first.

A handout tries densities and a poster type sizes until one fits, several
layouts each; after the first build the answer is almost always the one it
was. The target returns its choice (`Rendered.choice`: a handout's density,
a poster's shortening step and body size), the build keeps it in the state
file beside the file's fingerprint, and the next build of that file hands it
back as `RenderJob.hint`.

A remembered choice is not an input and is not in any fingerprint: a target
takes it only after proving, with this build's own layouts, that a clean
build would choose it (see `handout.py` and `poster._remembered`), and
otherwise searches as on a clean build. So it can make a build faster,
never different, and it cannot go stale: an edit, a template change or a
state file from elsewhere at worst costs the layouts of a failed proof.
`--force` ignores it: a forced build trusts nothing the last one left.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from publisher.build.plan import Task
from publisher.build.state import Previous
from publisher.targets import RenderJob

KEY = "choice"  # in a file's state record


def with_hint(task: Task, job: RenderJob, previous: Previous, force: bool) -> RenderJob:
    """The job, carrying the choice the last build of its file made (when there is one to try)."""
    choice = None if force else previous.state.get(task.path, {}).get(KEY)
    # The state file may hold anything: a target checks the values it reads, this only their kind.
    if not isinstance(job, RenderJob) or not isinstance(choice, dict) or not all(_plain(v) for v in choice.values()):
        return job  # a site's shared file is made, not laid out
    return dataclasses.replace(job, hint=choice)


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def record(state_entry: dict[str, Any], choice: dict | None) -> dict[str, Any]:
    """A file's state record with the choice its target made, when it made one."""
    if choice:
        state_entry[KEY] = choice
    return state_entry
