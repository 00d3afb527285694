"""Never stale, never wasted: a format's fingerprint changes exactly when its bytes do.

For every field of every content model (the article and everything in it,
the clinic and everything in it), one edit is made to a small article and
its clinic, the build is planned and the English A4 handout (and its
large-print edition), A3 poster and deck are rendered in-process. For each format, the task's `inputs` must
change if and only if the file's bytes change: a fingerprint that stays put
while the bytes move is a stale incremental build (never allowed); one that
moves while the bytes stay put is a needless re-render (a field the format
should list in its `templates/<format>/not-shown.yaml`).

Some fields show only in some places (a poster shows no section made only of
paragraphs, nor a callout's text when it has items). So the edit is tried on
each instance of the model in document order until it changes the bytes of
every format whose fingerprint it changes; a stale fingerprint is looked for
at every instance tried. The fingerprint of a field that shows somewhere
changes wherever it is edited: the safe side.

The fields are found by walking the pydantic models, so a field added to a
model is swept without touching this file; each field is its own test case,
so `-k Metadata` runs a part. The labels (template wording) are swept the same
way, one edit to `templates/labels/en.yaml` each. The content sweep renders
about 200 files (about a minute on one core), every time; the label sweep
covers every eighth label and those with conditions of their own, unless
PUBLISHER_FULL_SWEEP=1 asks for all of them (about four minutes more: after
changing labels or the not-shown declarations, see .ci/run).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import typing
from functools import cache
from typing import Any, Literal

import pytest
from pydantic import ValidationError, BaseModel

from publisher.build.plan import Selection, plan
from publisher.content import load_project
from publisher.content.models import Article, Bullet, Clinic
from publisher.i18n.labels import load_labels
from publisher.targets import targets
from tests.conftest import CONTENT, FIXTURES, TEMPLATES

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py

ARTICLE = "staying-hydrated"
CLINIC = "test-clinic"
RENDERED = {"handout": "a4", "large-print": "a4", "poster": "a3", "deck": "16x9", "web": "page"}  # one variant each keeps the sweep short

# Fields that are not content a format may or may not show, each with why.
NOT_SWEPT = {
    ("Paragraph", "kind"): "picks the block's model, not a value in it",
    ("ListBlock", "kind"): "picks the block's model, not a value in it",
    ("Callout", "kind"): "picks the block's model, not a value in it",
    ("Article", "lang"): "names the language, so the output's path, not its content",
}


def _models(root: type[BaseModel], seen: dict[type[BaseModel], None]) -> dict[type[BaseModel], None]:
    seen.setdefault(root)
    for info in root.model_fields.values():
        for inner in _inner_models(info.annotation):
            if inner not in seen:
                _models(inner, seen)
    return seen


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _inner_models(arg)]


def _fields() -> list[tuple[str, str, str]]:
    """(root, model, field) for every field of every model reachable from Article and Clinic."""
    found = []
    for root in (Article, Clinic):
        for model in _models(root, {}):
            for name, info in model.model_fields.items():
                # A field holding one nested model (metadata, colours) is swept through that model's fields.
                nested = isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
                if (model.__name__, name) not in NOT_SWEPT and not nested:
                    found.append((root.__name__, model.__name__, name))
    return found


FIELDS = _fields()


@cache
def _project():
    """The hydration fixture, with slide bullets on its first paragraph so that every model
    occurs, a callout of text only so that a callout's text shows on a poster, and an
    icon on every item of its list so that an item's icon does."""
    project = load_project(FIXTURES / "hydration")
    source = project.articles[ARTICLE]
    data = source.article.model_dump()
    data["sections"][0]["blocks"][0]["bullets"] = [{"id": "why-bullet", "text": "Heat makes us lose water."}]
    data["sections"][2]["blocks"].append({"kind": "callout", "id": "carry-water", "style": "tip",
                                          "text": "Carry a bottle of water when you go out."})
    # A poster draws items' icons only where every item of the list has one (issue 12).
    for item, icon in zip(data["sections"][1]["blocks"][0]["items"], ("water", "water", "check", "walking",
                                                                      "heart", "check")):
        item["icon"] = icon
    return _with(project, article=source.article.model_validate(data))


def _with(project, article=None, clinic=None, **paths):
    articles, clinics = dict(project.articles), dict(project.clinics)
    if article is not None:
        articles[ARTICLE] = dataclasses.replace(articles[ARTICLE], article=article)
    if clinic is not None or paths:
        clinics[CLINIC] = dataclasses.replace(clinics[CLINIC], **({"clinic": clinic} if clinic else {}), **paths)
    return dataclasses.replace(project, articles=articles, clinics=clinics)


def _instances(value: Any, model: str, path: tuple = ()) -> list[tuple]:
    """Paths (into the model's plain data) of every instance of `model`, in document order."""
    found = [path] if isinstance(value, BaseModel) and type(value).__name__ == model else []
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += _instances(getattr(value, name), model, path + (name,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _instances(item, model, path + (i,))
    return found


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _fresh_ids(data: Any, suffix: str) -> Any:
    if isinstance(data, dict):
        return {k: (v + suffix if k == "id" else _fresh_ids(v, suffix)) for k, v in data.items()}
    if isinstance(data, list):
        return [_fresh_ids(v, suffix) for v in data]
    return data


def _edited(model: type[BaseModel], name: str, value: Any) -> Any:
    """One valid edit of `value`, the field `name` of `model`: a different value, or a
    value where there was none, or one list entry fewer (one more when at the minimum)."""
    info = model.model_fields[name]
    literal = [a for a in typing.get_args(info.annotation) if typing.get_origin(a) is Literal] or (
        [info.annotation] if typing.get_origin(info.annotation) is Literal else [])
    if literal:
        choices = typing.get_args(literal[0])
        if value is None:  # an unset setting: the choice furthest from the default (`poster: omit`)
            return choices[-1]
        return next(choice for choice in choices if choice != value)
    if isinstance(value, bool):
        return not value
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=-30 if name == "published" else 30)
    if isinstance(value, list):
        minimum = next((m.min_length for m in info.metadata if hasattr(m, "min_length")), 0) or 0
        if len(value) > max(minimum, 1):
            return value[:-1]
        return value + [_fresh_ids(value[-1], "-copy") if value else _added(model, name)]
    special = {"id": f"{value}-edited", "version": "9.9", "primary": "#1D3B5C", "accent": "#EEF3FA",
               "icon": "heart", "email": "desk@changed.example.org", "phone": "0999 111 222",
               "url": "https://changed.example.org/work", "website": "https://changed.example.org",
               "article_url": "https://changed.example.org/read/{lang}/{article}"}
    if name in special:
        return special[name]
    if value is None:
        return _added(model, name)
    return f"{value} Changed"


def _added(model: type[BaseModel], name: str) -> Any:
    if name == "bullets":
        return [{"id": "new-bullet", "text": "A new bullet."}]
    if name == "address":
        return ["New line"]
    return "Added text"


def _source(project, root: str) -> BaseModel:
    return project.articles[ARTICLE].article if root == "Article" else project.clinics[CLINIC].clinic


def _edit(project, root: str, model: str, name: str, path: tuple):
    """The project with one field edited, in the instance of `model` at `path`."""
    source = _source(project, root)
    data = source.model_dump()
    model_class = next(m for m in _models(type(source), {}) if m.__name__ == model)
    holder = _get(data, path)
    if name == "logo":
        return _with(project, clinic=source.model_validate({**data, "logo": "default-logo.svg"}),
                     logo_path=CONTENT / "clinics" / "default-logo.svg")
    if name == "deck_template":
        return _with(project, clinic=source.model_validate({**data, "deck_template": "master.pptx"}),
                     deck_template_path=TEMPLATES / "deck" / "master.pptx")
    holder[name] = _edited(model_class, name, holder[name])
    edited = type(source).model_validate(data)
    return _with(project, article=edited) if root == "Article" else _with(project, clinic=edited)


def _made(project, templates=TEMPLATES, formats=tuple(RENDERED), lang="en",
          variants=RENDERED) -> dict[str, tuple[str, bytes]]:
    """Each rendered format's fingerprint (`inputs`) and bytes."""
    selection = Selection(articles=(ARTICLE,), langs=(lang,), formats=formats, clinics=(CLINIC,))
    planned = plan(project, selection, templates)
    assert not planned.problems, planned.problems
    made = {}
    for task, job in planned.jobs:
        if variants[task.format] == task.variant:
            made[task.format] = (task.inputs, targets()[task.format].render(job).data)
    assert set(made) == set(formats)
    return made


@cache
def _before(templates=TEMPLATES, formats=tuple(RENDERED)) -> dict[str, tuple[str, bytes]]:
    return _made(_project(), templates, formats)


def _sweep(root: str, model: str, name: str, templates=TEMPLATES, formats=tuple(RENDERED)):
    """Edit the field in each instance in turn; return where a format went stale, and
    the formats whose fingerprint moved though their bytes never did."""
    before, project = _before(templates, formats), _project()
    fingerprint_moved: set[str] = set()
    bytes_moved: set[str] = set()
    stale = []
    for path in _instances(_source(project, root), model):
        try:
            edited = _edit(project, root, model, name, path)
        except ValidationError:
            continue  # not a valid edit of this instance (`poster: omit` on a warning): try the next
        for fmt, (inputs, data) in _made(edited, templates, formats).items():
            if inputs != before[fmt][0]:
                fingerprint_moved.add(fmt)
            if data != before[fmt][1]:
                bytes_moved.add(fmt)
                if inputs == before[fmt][0]:
                    stale.append(f"{fmt} at {path}")
        if stale or fingerprint_moved <= bytes_moved:
            break
    return stale, sorted(fingerprint_moved - bytes_moved)


def test_the_sweep_reaches_every_model_and_field():
    """The walk finds the nested models too, and the fixture holds an instance of each."""
    models = {model for _, model, _ in FIELDS}
    assert {"Article", "Section", "Paragraph", "Bullet", "ListBlock", "Item", "Callout", "KeyMessage",
            "Metadata", "Source", "Reference", "Clinic", "Colours"} <= models
    assert ("Metadata", "audience") in {(m, f) for _, m, f in FIELDS}
    project = _project()
    for root, model, _ in FIELDS:
        assert _instances(_source(project, root), model), f"the fixture has no {model} to edit"
    assert Bullet.__name__ in models


@pytest.mark.parametrize(("root", "model", "name"), FIELDS, ids=[f"{m}.{f}" for _, m, f in FIELDS])
def test_a_format_is_fingerprinted_as_changed_exactly_when_its_bytes_change(root, model, name):
    stale, wasted = _sweep(root, model, name)
    assert not stale, f"editing {model}.{name} changed the bytes but not the fingerprint (a stale build): {stale}"
    assert not wasted, (f"editing {model}.{name} changed the fingerprint of {wasted} but never the bytes:"
                        f" list it in templates/<format>/not-shown.yaml")


def _poster_declaring(tmp_path, old: str, new: str):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    declaration = templates / "poster" / "not-shown.yaml"
    text = declaration.read_text(encoding="utf-8")
    assert old in text
    declaration.write_text(text.replace(old, new), encoding="utf-8")
    return templates


def test_the_sweep_finds_a_poster_that_would_go_stale(tmp_path):
    """The bug this test was written for: posters print the audience in their PDF metadata."""
    templates = _poster_declaring(tmp_path, "Metadata: [author,", "Metadata: [audience, author,")
    assert _sweep("Article", "Metadata", "audience", templates, ("poster",)) == (["poster at ('metadata',)"], [])


def test_the_sweep_finds_a_field_a_poster_fingerprints_but_never_prints(tmp_path):
    templates = _poster_declaring(tmp_path, "ListBlock: [id]", "ListBlock: []")
    assert _sweep("Article", "ListBlock", "id", templates, ("poster",)) == ([], ["poster"])


LABELS = tuple(load_labels(TEMPLATES).source)
# Labels printed only in some cases (an item's heading, the logo's alt text, an
# icon's name, the review notice), always swept; and every eighth of the rest.
CONDITIONAL = ("item_heading", "logo_alt", "icon_heart", "unreviewed", "email", "deck_continued",
               "deck_continued_part", "warning_pointer", "poster_more")
SWEPT_LABELS = LABELS if os.environ.get("PUBLISHER_FULL_SWEEP") else tuple(
    key for i, key in enumerate(LABELS) if i % 8 == 0 or key in CONDITIONAL)


_WORDING_BEFORE: dict[tuple, dict] = {}  # the unedited labels' renders, by context


@pytest.fixture(scope="module")
def wording(tmp_path_factory):
    """A copy of the templates whose English labels a test may rewrite."""
    templates = tmp_path_factory.mktemp("wording") / "templates"
    shutil.copytree(TEMPLATES, templates)
    _WORDING_BEFORE.clear()
    yield templates
    load_labels.cache_clear()


def _with_labels(templates, labels: dict[str, str]) -> None:
    (templates / "labels" / "en.yaml").write_text(
        "".join(f"{key}: {json.dumps(text, ensure_ascii=False)}\n" for key, text in labels.items()),
        encoding="utf-8")
    load_labels.cache_clear()


def _label_contexts(key: str) -> list[tuple[str, object, tuple[str, ...]]]:
    """Where the label can print: (name, project, formats) that together render each format once.
    Most labels print in the fixture as it is; a few only where the content calls for them."""
    project = _project()
    article = project.articles[ARTICLE].article.model_dump()
    if key.startswith("icon_"):  # where an item shows the icon (posters)
        article["sections"][1]["blocks"][0]["items"][0]["icon"] = key.removeprefix("icon_")
        return [(key, _with(project, article=Article.model_validate(article)), tuple(RENDERED))]
    if key == "email":  # where the clinic has an e-mail address
        clinic = project.clinics[CLINIC].clinic.model_copy(update={"email": "desk@test-street.example.org"})
        return [(key, _with(project, clinic=clinic), tuple(RENDERED))]
    if key in ("deck_continued", "deck_continued_part"):  # where a deck's list runs onto 2, or 3, slides
        block = article["sections"][1]["blocks"][0]
        block["items"] = [{**item, "id": f"{item['id']}-{n}"} for n in range(2 if key == "deck_continued" else 3)
                          for item in block["items"]]
        return [("fixture", project, ("handout", "large-print", "poster")),
                (key, _with(project, article=Article.model_validate(article)), ("deck",))]
    if key == "warning_pointer":  # where a handout's warning falls on page 2, and page 1 points to it
        paragraph = article["sections"][0]["blocks"][0]
        paragraph["text"] = " ".join([paragraph["text"]] * 12)
        # In large print the fixture's warning is past page 1 as it is.
        return [("fixture", project, ("poster", "deck", "large-print")),
                (key, _with(project, article=Article.model_validate(article)), ("handout",))]
    if key == "poster_more":  # where a poster shows a list's first items and says how many more
        article["sections"][1]["blocks"][0]["poster"] = "summary"
        return [("fixture", project, ("handout", "large-print", "deck")),
                (key, _with(project, article=Article.model_validate(article)), ("poster",))]
    return [("fixture", project, tuple(RENDERED))]



@pytest.mark.parametrize("key", SWEPT_LABELS)
def test_a_label_is_fingerprinted_as_changed_exactly_when_its_bytes_change(key, wording):
    source = dict(load_labels(TEMPLATES).source)
    stale, wasted = [], []
    for name, project, formats in _label_contexts(key):
        if (name, formats) not in _WORDING_BEFORE:
            _with_labels(wording, source)
            _WORDING_BEFORE[name, formats] = _made(project, wording, formats)
        before = _WORDING_BEFORE[name, formats]
        _with_labels(wording, source | {key: source[key] + " Changed"})
        after = _made(project, wording, formats)
        stale += [fmt for fmt in after if after[fmt][1] != before[fmt][1] and after[fmt][0] == before[fmt][0]]
        wasted += [fmt for fmt in after if after[fmt][0] != before[fmt][0] and after[fmt][1] == before[fmt][1]]
    assert not stale, f"editing the label {key} changed the bytes of {stale} but not their fingerprint"
    assert not wasted, (f"editing the label {key} changed the fingerprint of {wasted} but never the bytes:"
                        f" list it under `labels:` in templates/<format>/not-shown.yaml")


def test_the_review_notice_and_its_wording_count_where_the_text_is_unreviewed(wording):
    """In English they never print, and do not count (swept above); in a translation not yet
    reviewed, here the pseudo-translation en-XA, turning the notice off or rewording it shows."""
    project = _project()
    article = project.articles[ARTICLE].article.model_dump()
    article["sections"] = article["sections"][:2]  # the pseudo-text is longer: a poster fits less of it
    project = _with(project, article=Article.model_validate(article))
    source = dict(load_labels(TEMPLATES).source)
    pseudo = {"lang": "en-XA"}
    _with_labels(wording, source)
    before = _made(project, wording, **pseudo)
    quiet = project.clinics[CLINIC].clinic.model_copy(update={"unreviewed_notice": False})
    for after in (_made(_with(project, clinic=quiet), wording, **pseudo),
                  _with_labels(wording, source | {"unreviewed": "Not yet checked."})
                  or _made(project, wording, **pseudo)):
        moved = {fmt: (after[fmt][0] != before[fmt][0], after[fmt][1] != before[fmt][1]) for fmt in RENDERED}
        assert moved == dict.fromkeys(RENDERED, (True, True)), "(fingerprint moved, bytes moved) per format"
