"""A synthetic catalogue: copies of the fixture articles under new ids.

Copies alternate between the seed article (English plus its five
translations) and the hydration fixture (English only), so a catalogue of N
articles has about 3.5 N article-languages. Each copy's title gets its number
appended, in the source and in every translation (whose fingerprint is
updated to match), so every file differs and no translation is stale.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from publisher.content.units import fingerprint

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "articles" / "muscle-mass-loss-and-pain"
HYDRATION = ROOT / "tests" / "fixtures" / "hydration" / "articles" / "staying-hydrated"
CLINIC = ROOT / "content" / "clinics" / "default.yaml"
CLINIC_LOGO = ROOT / "content" / "clinics" / "default-logo.svg"

# The paragraph whose first sentence the one-sentence-edit measurement changes.
EDIT_UNIT_PATH = ("sections", 0, "blocks", 0, "text")


def _title_line(text: str) -> str:
    return yaml.safe_dump({"title": text}, allow_unicode=True, width=10_000).strip()


def _retitle(source: Path, dest: Path, suffix: str) -> str:
    """Copy an article.yaml with `suffix` appended to its title; return the new title."""
    text = source.read_text(encoding="utf-8")
    title = yaml.safe_load(text)["title"]
    new_title = f"{title}{suffix}"
    text, count = re.subn(r"(?m)^title:.*$", lambda _: _title_line(new_title), text, count=1)
    assert count == 1, f"no top-level title in {source}"
    dest.write_text(text, encoding="utf-8")
    return new_title


def _retitle_translation(source: Path, dest: Path, suffix: str, new_source_title: str) -> None:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    unit = data["units"].get("title")
    if unit is not None:
        unit["text"] = f"{unit['text']}{suffix}"
        unit["fingerprint"] = fingerprint(new_source_title)
    dest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def article_ids(count: int) -> list[tuple[str, Path]]:
    """(id, fixture) for each copy, in order."""
    out = []
    for i in range(1, count + 1):
        fixture = SEED if i % 2 == 1 else HYDRATION
        out.append((f"{fixture.name}-{i:04d}", fixture))
    return out


def make_catalogue(content_dir: Path, count: int) -> list[str]:
    """Write `count` articles and one clinic under `content_dir`; return the article ids."""
    if content_dir.exists():
        shutil.rmtree(content_dir)
    (content_dir / "clinics").mkdir(parents=True)
    shutil.copy2(CLINIC, content_dir / "clinics" / CLINIC.name)
    shutil.copy2(CLINIC_LOGO, content_dir / "clinics" / CLINIC_LOGO.name)
    ids = []
    for i, (art_id, fixture) in enumerate(article_ids(count), start=1):
        folder = content_dir / "articles" / art_id
        folder.mkdir(parents=True)
        suffix = f" ({i})"
        new_title = _retitle(fixture / "article.yaml", folder / "article.yaml", suffix)
        translations = fixture / "translations"
        if translations.is_dir():
            (folder / "translations").mkdir()
            for path in sorted(translations.glob("*.yaml")):
                _retitle_translation(path, folder / "translations" / path.name, suffix, new_title)
        ids.append(art_id)
    return ids


def edit_one_sentence(content_dir: Path, art_id: str) -> str:
    """Change one English sentence of one article (its first paragraph); return the unit id."""
    path = content_dir / "articles" / art_id / "article.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    for part in EDIT_UNIT_PATH[:-1]:
        node = node[part]
    old = node[EDIT_UNIT_PATH[-1]]
    first = old.split(". ")[0]
    text = path.read_text(encoding="utf-8")
    # Edit the YAML text itself (as a person would), keeping comments and layout:
    # the sentence is folded over lines, so change its first word only.
    word = first.split()[0]
    pattern = re.compile(rf"(?m)^(\s+){re.escape(word)}\b")
    matches = [m for m in pattern.finditer(text) if _line_starts_value(text, m, first)]
    assert matches, f"cannot find the sentence {first!r} in {path}"
    m = matches[0]
    text = text[:m.start()] + m.group(1) + "In fact, " + word.lower() + text[m.end():]
    path.write_text(text, encoding="utf-8")
    return node.get("id", "?")


def edit_heading(content_dir: Path, art_id: str, item_id: str) -> str:
    """Lengthen the heading of one list item (what a poster's tile shows) by a few words; return the item id."""
    path = content_dir / "articles" / art_id / "article.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"(?m)^\s+- id: {re.escape(item_id)}\n(?:\s+\w+: .*\n)*?\s+heading: (.*)$", text)
    assert found, f"no heading for {item_id!r} in {path}"
    path.write_text(text[:found.end(1)] + ", a little every day" + text[found.end(1):], encoding="utf-8")
    return item_id


def _line_starts_value(text: str, match: re.Match, sentence: str) -> bool:
    following = " ".join(text[match.start():match.start() + len(sentence) * 2].split())
    return following.startswith(" ".join(sentence.split()))


def make_seed_content(content_dir: Path) -> str:
    """The seed article exactly as shipped, with one clinic: for the side-by-side comparisons."""
    if content_dir.exists():
        shutil.rmtree(content_dir)
    (content_dir / "clinics").mkdir(parents=True)
    shutil.copy2(CLINIC, content_dir / "clinics" / CLINIC.name)
    shutil.copy2(CLINIC_LOGO, content_dir / "clinics" / CLINIC_LOGO.name)
    shutil.copytree(SEED, content_dir / "articles" / SEED.name)
    return SEED.name
