"""What a build did, for the command line, `--json` and other tools."""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher.errors import Problem


@dataclass
class BuildReport:
    built: list[dict] = field(default_factory=list)  # manifest entries of the files written
    reasons: dict[str, str] = field(default_factory=dict)  # path -> why it was (or would be) built
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    failed_paths: list[str] = field(default_factory=list)
    failures: list[tuple] = field(default_factory=list)  # (task, its problems) per file that failed
    held_back: list[str] = field(default_factory=list)  # rendered, but not written: another file of its unit failed
    held_units: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # held path -> its unit
    notes: list[str] = field(default_factory=list)  # what was found wrong in the output folder, and ignored
    fallbacks: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    layouts: dict[str, int] = field(default_factory=dict)  # path -> layouts made to render it (PDF formats)
    awaiting: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # `previous` kept
    blocked: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # `block`: not built
    cached: list[str] = field(default_factory=list)  # rendered by an earlier build: taken from the render cache
    render_seconds: float = 0.0  # summed over files, whichever process made them
    peak_rss_kb: int = 0  # the largest of any rendering process
    wall_seconds: float = 0.0

    def summary(self) -> dict:
        return {"built": len(self.built), "skipped": len(self.skipped), "removed": len(self.removed),
                "failed": len(self.failed_paths),
                "held_back": len(self.held_back), "wall_seconds": round(self.wall_seconds, 3),
                "render_seconds": round(self.render_seconds, 3), "peak_rss_mb": round(self.peak_rss_kb / 1024, 1)}
