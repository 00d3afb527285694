"""Timing a step several times: shared by the benchmark's driver and its harness."""

from __future__ import annotations

import statistics
import time


def repeat(fn, repeats: int) -> dict:
    """Median and minimum seconds of `repeats` calls of `fn`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return {"median": round(statistics.median(times), 4), "min": round(min(times), 4), "runs": len(times)}
