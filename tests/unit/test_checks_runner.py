"""The checks stage's runner: thresholds resolved per language, checks.yaml validated, waivers applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from publisher.checks.config import Thresholds
from publisher.checks.gate import REGISTRY, ContentSubject, Finding, Gate, Score
from publisher.checks.run import Runner
from publisher.content import load_project
from tests.conftest import SEED

WAIVERS_AT_END = "\nwaivers:\n"


def test_thresholds_resolve_defaults_then_content_all_then_language():
    thresholds = Thresholds(
        defaults={"g": {"all": {"a": 1, "b": 2, "c": 3}, "de": {"b": 20}}},
        content={"g": {"all": {"c": 30}, "de": {"a": 100}}})
    assert thresholds.resolve("g", "en") == {"a": 1, "b": 2, "c": 30}
    assert thresholds.resolve("g", "de") == {"a": 100, "b": 20, "c": 30}
    assert thresholds.resolve("g", None) == {"a": 1, "b": 2, "c": 30}
    assert thresholds.resolve("unknown", "en") == {}


def test_a_value_per_format_changes_only_the_formats_it_names():
    thresholds = Thresholds(defaults={"g": {"all": {"min_pt": {"handout": 12, "deck": 20}}}},
                            content={"g": {"de": {"min_pt": {"handout": 14}}}})
    assert thresholds.resolve("g", "de") == {"min_pt": {"handout": 14, "deck": 20}}
    assert thresholds.resolve("g", "en") == {"min_pt": {"handout": 12, "deck": 20}}


def test_a_content_folder_overrides_a_gates_threshold_for_one_language(project):
    project.write("checks.yaml", """\
        pdf-ua:
          de:
            max_failed_rules: 2
        """)
    runner = Runner(load_project(project.content))
    assert runner.thresholds.resolve("pdf-ua", "de") == {"max_failed_rules": 2}
    assert runner.thresholds.resolve("pdf-ua", "en") == {"max_failed_rules": 0}


def test_every_mistake_in_checks_yaml_is_located_at_once(project):
    project.write("checks.yaml", """\
        pdf-uaa:
          all: {}
        pdf-ua:
          all:
            max_failed_rule: 1
          de:
            max_failed_rules: many
        colour-contrast:
          english:
            min_ratio: 3
          all:
            min_ratio: "high"
        """)
    result = project.cli("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/checks.yaml:1:1: pdf-uaa: unknown gate 'pdf-uaa' — did you mean 'pdf-ua'?",
        "content/checks.yaml:5:5: pdf-ua.all.max_failed_rule: unknown threshold 'max_failed_rule'"
        " — did you mean 'max_failed_rules'?",
        "content/checks.yaml:7:23: pdf-ua.de.max_failed_rules: expected a whole number, got 'many'"
        " — write a whole number, without quotes",
        "content/checks.yaml:9:3: colour-contrast.english: 'english' is neither `all` nor a language tag"
        " — write `all:` for every language, or a tag such as `de` or `zh-Hans`",
        "content/checks.yaml:12:16: colour-contrast.all.min_ratio: expected a number, got 'high'"
        " — write a number, without quotes",
        "Aborted: 5 errors in 1 file.",
    ]


def test_checks_yaml_mistakes_stop_build_and_validate_alike(project):
    project.write("checks.yaml", "pdf-ua: [0]\n")
    assert project.refused_by_both() == [
        "content/checks.yaml:1:9: pdf-ua: expected a mapping of fields, got a list"
        " — write `field: value` pairs indented under this key",
        "Aborted: 1 error in 1 file.",
    ]


def test_waivers_that_name_no_gate_unit_or_language_or_no_reason_are_located(project):
    text = project.article_path.read_text(encoding="utf-8")
    project.article_path.write_text(text + WAIVERS_AT_END + """\
  - gate: pdf-uaa
    reason: A typo.
  - gate: pdf-ua
  - gate: colour-contrast
    reason: Our brand.
  - gate: pdf-ua
    reason: A unit that is not there.
    unit: intro-wat
    lang: [it]
""", encoding="utf-8")
    first = project.line_of("gate: pdf-uaa")
    lines = project.refused_by_both()
    art = project.article_file
    assert lines == [  # the model's error alone: the rest is checked once the waivers are valid
        f"{art}:{first + 2}:5: waivers[1].reason: required field is missing"
        " — add `reason:` here (see `publisher schema` for what it holds)",
        "Aborted: 1 error in 1 file.",
    ]
    project.article_path.write_text(text + WAIVERS_AT_END + """\
  - gate: pdf-uaa
    reason: A typo.
  - gate: colour-contrast
    reason: Our brand.
  - gate: pdf-ua
    reason: A unit that is not there.
    unit: intro-wat
    lang: [it]
""", encoding="utf-8")
    assert project.refused_by_both() == [
        f"{art}:{first}:11: waivers[0].gate: no gate 'pdf-uaa' — did you mean 'pdf-ua'?",
        f"{art}:{first + 2}:11: waivers[1].gate: the gate 'colour-contrast' reads the clinic's profile,"
        " which an article cannot waive — fix the clinic's file instead",
        f"{art}:{first + 6}:11: waivers[2].unit: no section, block or item 'intro-wat' in the article"
        " — did you mean 'intro-what'?",
        f"{art}:{first + 7}:12: waivers[2].lang[0]: the article is not built in 'it'"
        " — use one of en, ar, de, es, fr, zh-Hans",
        "Aborted: 4 errors in 1 file.",
    ]


class _Planted(Gate):
    """A test-only gate: one finding per key message, about that unit, and one about the whole article."""

    id = "planted-test-gate"
    severity = "error"
    reads = "content"
    summary = "planted by a test"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        article = subject.localized.article
        yield self.finding(subject.localized.source_file, 1, 1, "about the article", "fix it")
        for message in article.key_messages:
            yield self.finding(subject.localized.source_file, 2, 1, f"about {message.id}", "fix it", unit=message.id)

    def scores(self, subject, thresholds) -> Iterable[Score]:
        return [Score("planted", 3, 2, False)]


@pytest.fixture
def planted():
    REGISTRY[_Planted.id] = _Planted()
    yield _Planted.id
    del REGISTRY[_Planted.id]


def _results(project, lang: str):
    from publisher.i18n import localize
    from publisher.i18n.labels import load_labels
    from tests.conftest import TEMPLATES

    loaded = load_project(project.content)
    runner = Runner(loaded, [_Planted.id])
    return runner.content(localize(loaded.articles[SEED], lang, load_labels(TEMPLATES)))


def test_without_waivers_the_runner_reports_every_finding_and_score(project, planted):
    result = _results(project, "en")
    assert [f.message for f in result.findings] == ["about the article", "about km-act", "about km-clinician",
                                                      "about km-contributes", "about km-support"]
    assert result.waived == [] and [s.name for _, s in result.scores] == ["planted"]


def test_a_unit_waiver_excuses_that_unit_in_the_languages_it_names(project, planted):
    text = project.article_path.read_text(encoding="utf-8")
    project.article_path.write_text(text + WAIVERS_AT_END + f"""\
  - gate: {planted}
    reason: The clinician asked for this wording.
    unit: km-act
    lang: [de]
""", encoding="utf-8")
    assert len(_results(project, "en").findings) == 5
    german = _results(project, "de")
    assert [f.message for f in german.findings] == ["about the article", "about km-clinician",
                                                      "about km-contributes", "about km-support"]
    assert [(w.finding.message, w.reason) for w in german.waived] == [
        ("about km-act", "The clinician asked for this wording.")]


def test_an_article_waiver_excuses_the_gate_in_every_language(project, planted):
    text = project.article_path.read_text(encoding="utf-8")
    project.article_path.write_text(text + WAIVERS_AT_END + f"""\
  - gate: {planted}
    reason: Not for this article.
""", encoding="utf-8")
    for lang in ("en", "zh-Hans"):
        result = _results(project, lang)
        assert result.findings == [] and len(result.waived) == 5
        assert {w.reason for w in result.waived} == {"Not for this article."}
