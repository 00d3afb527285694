"""A CI matrix's share of the build: light, so the command line can parse it without loading anything."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def take(self, tasks: list) -> list:
        """A deterministic, balanced share: each format's tasks dealt in turn."""
        ordered = sorted(tasks, key=lambda pair: (pair[0].format, pair[0].variant, pair[0].path))
        return [pair for i, pair in enumerate(ordered) if i % self.count == self.index - 1]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
