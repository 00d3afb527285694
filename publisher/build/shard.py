"""A CI matrix's share of the build: light, so the command line can parse it without loading anything."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def take(self, tasks: list) -> list:
        """A deterministic, balanced share: each format's tasks dealt in turn; a file made from
        another (`Task.source`) goes with it, as it is made from the bytes its shard renders."""
        ordered = sorted((pair for pair in tasks if not pair[0].source),
                         key=lambda pair: (pair[0].format, pair[0].variant, pair[0].path))
        taken = [pair for i, pair in enumerate(ordered) if i % self.count == self.index - 1]
        paths = {pair[0].path for pair in taken}
        return taken + [pair for pair in tasks if pair[0].source and pair[0].source in paths]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
