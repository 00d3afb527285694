"""Translation files on disk: written in one canonical form, so that an
import that changes nothing rewrites the same bytes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from publisher.build.write import write_atomic
from publisher.content.models import TranslatedUnit, TranslationFile


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Quote free text so that "yes", "1.0" or "a: b" survive as text; ids stay bare.
    plain = re.fullmatch(r"[A-Za-z0-9._-]+", value) is not None and yaml.safe_load(value) == value
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _str)


def dump_translation(translation: TranslationFile, order: list[str], header: str) -> str:
    ordered = [uid for uid in order if uid in translation.units] + sorted(
        uid for uid in translation.units if uid not in order)
    units = {}
    for uid in ordered:
        unit: TranslatedUnit = translation.units[uid]
        entry = {"text": unit.text, "fingerprint": unit.fingerprint, "status": unit.status}
        if unit.reviewer is not None:
            entry["reviewer"] = unit.reviewer
        if unit.reviewed is not None:
            entry["reviewed"] = unit.reviewed
        if unit.source is not None:
            entry["source"] = unit.source
        units[uid] = entry
    head = {"lang": translation.lang}
    if translation.policy is not None:
        head["policy"] = translation.policy
    if translation.review is not None:
        head["review"] = translation.review.model_dump(exclude_none=True)
    body = yaml.dump({**head, "units": units}, Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=1_000_000, default_flow_style=False)
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comment + body


def write_translation(path: Path, translation: TranslationFile, order: list[str], header: str) -> bool:
    """Write the file if its canonical text differs; say whether it did."""
    text = dump_translation(translation, order, header)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text.encode("utf-8"))
    return True


ARTICLE_HEADER = """Translation of the article in {folder}/article.yaml into {language} ({lang}).
Units are keyed by the source's ids. `fingerprint` is the source text the unit was
translated from: when the source changes, the unit is stale and the source text is shown
until it is translated again, as `policy:` (mark, previous or block) says, else the project's
policy (content/translation-policy.yaml). `status` is draft until a clinician has reviewed it.
Kept in this form by `publisher i18n import`; edit text and status freely."""

LABELS_HEADER = """Template wording (labels/en.yaml) in {language} ({lang}); same format as article translations."""
