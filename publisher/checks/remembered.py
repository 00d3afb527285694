"""What the content gates found, kept in the build's cache folder (`--cache`).

The plain-language gates load a language's hyphenation patterns, word
frequencies and pronouncing dictionary before they read a word: about 4.5 s
and 400 MB for the six shipped languages, in every process that checks
content, whatever changed. A gate that reads only the localized article and
its clinics (`Gate.reads_templates` False, no `combine`) gives the same
findings for the same article, so they are kept under a key made of
everything it reads: the localized article (its text, each text's file and
line, its waivers), the clinics' printed text, the gate's resolved thresholds
and publisher's own code. Waivers are applied after, as for fresh findings.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Mapping

from publisher.checks.gate import ContentSubject, Finding, Gate, Score


def rememberable(gate: Gate) -> bool:
    return gate.reads == "content" and not gate.reads_templates and type(gate).combine is Gate.combine


def subject_digest(subject: ContentSubject) -> str:
    from publisher.i18n import clinic_texts

    localized = subject.localized
    # `texts` and `sources` are left out of the dataclass's repr; they carry each text's line.
    parts = (repr(localized), repr(localized.texts), repr(getattr(localized, "sources", ())),
             repr([tuple(clinic_texts(c)) for c in subject.clinics]))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class Remembered:
    def __init__(self, folder: Path):
        self.folder = folder / "gates"

    def _path(self, gate: Gate, values: Mapping[str, Any], digest: str) -> Path:
        from publisher.build.render_cache import code_digest

        key = hashlib.sha256(json.dumps([code_digest(), gate.id, values, digest], sort_keys=True,
                                        default=str).encode("utf-8")).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, gate: Gate, values: Mapping[str, Any], digest: str) -> tuple[list[Finding], list[Score]] | None:
        try:
            record = json.loads(self._path(gate, values, digest).read_text(encoding="utf-8"))
            return [Finding(**f) for f in record["findings"]], [Score(**s) for s in record["scores"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, gate: Gate, values: Mapping[str, Any], digest: str, found: list[Finding],
            scores: list[Score]) -> None:
        from publisher.build.render_cache import _write

        path = self._path(gate, values, digest)
        record = {"findings": [dataclasses.asdict(f) for f in found],
                  "scores": [dataclasses.asdict(s) for s in scores]}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, json.dumps(record, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # only a shortcut: the next run checks again
