"""Plan: which files to make, and a fingerprint of everything each one reads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from publisher import __version__
from publisher.content import Project
from publisher.fonts import load_fonts
from publisher.i18n import LocalizedArticle
from publisher.targets import RenderOptions, Target


@dataclass(frozen=True)
class Selection:
    """What the user asked for; empty means everything."""

    articles: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    clinics: tuple[str, ...] = ()

    def wants(self, kind: str, value: str) -> bool:
        chosen = getattr(self, kind)
        return not chosen or value in chosen

    def languages(self, available: list[str]) -> list[str]:
        """The article's languages the user asked for; pseudo-locales only when named."""
        from publisher.i18n.pseudo import PSEUDO_LOCALES
        return [lang for lang in available if self.wants("langs", lang)] + [
            lang for lang in self.langs if lang in PSEUDO_LOCALES and lang not in available]


@dataclass(frozen=True)
class Task:
    article: str
    lang: str
    format: str
    variant: str
    clinic: str
    path: str  # relative to the output folder, POSIX
    inputs: str  # fingerprint of everything the file is made from


def output_path(article: str, lang: str, clinic: str, target: Target, variant: str) -> str:
    return f"{article}/{lang}/{clinic}/{target.name}-{variant}{target.suffix}"


def _digest_files(paths: list[Path], root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name:
            hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def fingerprint(localized: LocalizedArticle, project: Project, clinic_id: str, target: Target,
                variant: str, templates_dir: Path, source_date: str,
                options: RenderOptions = RenderOptions()) -> str:
    clinic = project.clinics[clinic_id]
    fonts = load_fonts(templates_dir / "fonts")
    facts = {
        "publisher": __version__,
        "target": target.name,
        "variant": variant,
        "lang": localized.lang,
        "article": localized.article.model_dump(mode="json"),
        "labels": localized.labels,
        "clinic": clinic.clinic.model_dump(mode="json"),
        "logo": hashlib.sha256(clinic.logo_path.read_bytes()).hexdigest(),
        "deck_template": (hashlib.sha256(clinic.deck_template_path.read_bytes()).hexdigest()
                          if clinic.deck_template_path else None),
        "templates": _digest_files(target.template_files(templates_dir), templates_dir),
        "fonts": _digest_files(fonts.files(), templates_dir),
        "source_date": source_date,
        "options": {name: getattr(options, name) for name in target.options_read},
    }
    blob = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()
