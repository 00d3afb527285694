"""What the checks found, for people (lines and a table), machines (JSON) and the manifest."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from publisher.checks.gate import Score, gates
from publisher.checks.run import Result


def gate_list() -> dict[str, dict[str, str]]:
    return {gid: {"severity": g.severity, "reads": g.reads, "summary": g.summary} for gid, g in gates().items()}


def lines(results: Iterable[Result]) -> list[str]:
    """Every finding as `FILE:LINE:COL: [gate-id] what — how`, warnings marked; then the waived ones."""
    results = list(results)
    found = sorted({f for r in results for f in r.findings})
    waived = sorted({w for r in results for w in r.waived})
    return ([str(f) if f.severity == "error" else f"{f} (warning)" for f in found]
            + [f"{w.finding} (waived: {w.reason})" for w in waived])


def table(results: Iterable[Result]) -> str:
    """One row per article × language: its scores, files checked, errors, warnings, waived, pass or FAIL."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    columns: list[str] = []
    for result in results:
        if not result.article:
            continue  # a clinic's findings are listed above; its row would be no article's
        row = rows.setdefault((result.article, result.lang), {"files": 0, "errors": 0, "warnings": 0, "waived": 0})
        row["files"] += result.key.count("/") >= 3
        row["errors"] += len(result.errors)
        row["warnings"] += len(result.findings) - len(result.errors)
        row["waived"] += len(result.waived)
        for _, score in result.scores:
            if score.name not in columns:
                columns.append(score.name)
            # A score measured on several files (one per clinic, format and variant) shows the worst.
            if score.name not in row or _worse(score, row[score.name]):
                row[score.name] = score
    header = ["article", "lang", *columns, "files", "errors", "warnings", "waived", "result"]
    body = [[article, lang, *(_shown(row.get(c)) for c in columns), str(row["files"]), str(row["errors"]),
             str(row["warnings"]), str(row["waived"]), "FAIL" if row["errors"] else "pass"]
            for (article, lang), row in sorted(rows.items())]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *body])


def _worse(score: Score, than: Score) -> bool:
    """A failing value is worse than a passing one; then the one farther past its limit, or nearer to it."""
    if score.passed != than.passed:
        return not score.passed
    if score.limit is None or than.limit is None:
        return False
    distance, other = abs(score.value - score.limit), abs(than.value - than.limit)
    return distance > other if not score.passed else distance < other


def _shown(score: Score | None) -> str:
    return "-" if score is None else f"{score.value:g}" + ("" if score.passed else "!")


def as_json(results: Iterable[Result]) -> dict[str, Any]:
    results = list(results)
    return {
        "gates": gate_list(),
        "clinics": {r.key.split("/", 1)[1]: r.json() for r in results if r.key.startswith("clinic/")},
        "content": {r.key: r.json() for r in results if r.article and r.key.count("/") == 1},
        # A built file: "<article>/<lang>/<clinic>/<name>", or a site's page, which lies deeper.
        "files": {r.key: r.json() for r in results if r.key.count("/") >= 3},
        "errors": sum(len(r.errors) for r in results),
        "warnings": sum(len(r.findings) - len(r.errors) for r in results),
        "waived": sum(len(r.waived) for r in results),
    }


def manifest_checks(previous: dict[str, Any], content: list[Result], files: dict[str, Result],
                    artifacts: set[str], project) -> dict[str, Any]:
    """The manifest's `checks`: this build's results over the previous build's for what it did not check.

    A file the build skipped keeps the findings it had when it was written;
    `publisher check` checks every file again with today's thresholds.
    """
    now = as_json([*content, *files.values()])
    _rebase(now, Path(project.content_dir).resolve().parent)

    def carried(kind: str, keep) -> dict[str, Any]:
        old = previous.get(kind) if isinstance(previous.get(kind), dict) else {}
        merged = {key: value for key, value in old.items() if isinstance(key, str) and keep(key)}
        merged.update(now[kind])
        return dict(sorted(merged.items()))

    return {
        "gates": now["gates"],
        "clinics": carried("clinics", lambda key: key in project.clinics),
        "content": carried("content", lambda key: key.split("/")[0] in project.articles),
        "files": carried("files", lambda key: key in artifacts),
    }


def _rebase(found: dict[str, Any], base: Path) -> None:
    """Findings name files relative to the working directory, for the terminal; the manifest
    names them relative to the project (the content folder's parent), so the same build
    started from another directory, or on a Dask worker, writes the same bytes."""
    cwd = Path.cwd()
    for kind in ("clinics", "content", "files"):
        for result in found[kind].values():
            for entry in (*result["findings"], *result["waived"]):
                old = entry["file"]
                path = (cwd / old).resolve()
                if not path.is_relative_to(base):
                    continue
                new = path.relative_to(base).as_posix()
                entry["file"] = new
                entry["hint"] = entry["hint"].replace(old, new)
                entry["text"] = entry["text"].replace(old, new)
