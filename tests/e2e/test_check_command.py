"""`publisher check`, and the gates in `build`: findings located, a table per article × language,
exit 1 on an error, and a failing gate leaves output/ untouched."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SEED, TEMPLATES, _snapshot

SMALL = ("--lang", "en", "--format", "handout", "--clinic", "default")
HANDOUT = f"{SEED}/en/default/handout-a4.pdf"


@pytest.fixture
def built(project):
    result = project.cli("build", *SMALL)
    assert result.exit_code == 0, result.output
    return project


def test_check_lists_the_gates_with_severity_and_summary(project):
    result = project.cli("check", "--list")
    assert result.exit_code == 0
    assert "pdf-ua                   error    output   every PDF passes PDF/UA-1" in result.stdout
    assert "colour-contrast          error    clinic   the clinic's primary colour reads on white paper" \
        in result.stdout


def _table(stdout: str) -> tuple[str, dict[str, list[str]]]:
    """The table's header and its rows by language (other gates may add columns and lines above it)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("article "))
    return lines[start], {line.split()[1]: line.split() for line in lines[start + 1:]}


def test_check_passes_the_shipped_content_and_its_files_with_a_table(built):
    result = built.cli("check")
    assert result.exit_code == 0, result.output
    header, rows = _table(result.stdout)
    assert "  UA fails  " in header and header.endswith("  files  errors  warnings  waived  result")
    assert sorted(rows) == ["ar", "de", "en", "es", "fr", "zh-Hans"]
    assert [rows["en"][i] for i in (-5, -4, -1)] == ["2", "0", "pass"]
    assert [rows["de"][i] for i in (-5, -4, -1)] == ["0", "0", "pass"]
    _, only = _table(built.cli("check", "--gate", "pdf-ua").stdout)
    assert only["en"] == [SEED, "en", "0", "2", "0", "0", "0", "pass"]
    assert only["de"] == [SEED, "de", "-", "0", "0", "0", "0", "pass"]


def test_check_json_and_the_manifest_hold_findings_and_scores(built):
    result = built.cli("check", "--json", "--output-gates", "--gate", "pdf-ua")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["errors"] == 0 and sorted(report["files"]) == [HANDOUT, HANDOUT.replace("a4", "letter")]
    assert report["files"][HANDOUT]["scores"] == [
        {"gate": "pdf-ua", "name": "UA fails", "value": 0, "limit": 0, "passed": True}]
    manifest = json.loads((built.root / "output" / "manifest.json").read_text())
    assert [s for s in manifest["checks"]["files"][HANDOUT]["scores"] if s["gate"] == "pdf-ua"] \
        == report["files"][HANDOUT]["scores"]
    assert manifest["checks"]["clinics"]["default"]["scores"][0]["name"] == "contrast"
    assert sorted(manifest["checks"]["gates"]) == sorted(report["gates"])


def test_check_fails_on_a_built_file_that_is_not_pdf_ua(built):
    import weasyprint

    untagged = weasyprint.HTML(string="<html lang='en'><title>T</title><h1>Untagged</h1></html>").write_pdf()
    (built.root / "output" / HANDOUT).write_bytes(untagged)
    result = built.cli("check", "--article", SEED, "--lang", "en", "--gate", "pdf-ua")
    assert result.exit_code == 1
    [line] = [line for line in result.stdout.splitlines() if "[pdf-ua]" in line]
    assert line.startswith(f"{built.article_file}:1:1: [pdf-ua] {HANDOUT} fails 8 PDF/UA-1 rule(s) of"
                           " page-validation: PDFUA1-CONTENT-TAGGING-001 ×1: page 1 contains text")
    assert _table(result.stdout)[1]["en"] == [SEED, "en", "8!", "2", "1", "0", "0", "FAIL"]
    assert result.stderr.splitlines()[-1] == "Failed: 1 error in the quality gates."


def test_a_waiver_is_listed_with_its_reason_and_does_not_fail(built):
    import weasyprint

    (built.root / "output" / HANDOUT).write_bytes(weasyprint.HTML(string="<p>x</p>").write_pdf())
    text = built.article_path.read_text(encoding="utf-8")
    built.article_path.write_text(text + "\nwaivers:\n  - gate: pdf-ua\n    reason: Checked by hand.\n"
                                  "    lang: [en]\n", encoding="utf-8")
    result = built.cli("check", "--lang", "en", "--gate", "pdf-ua")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if "[pdf-ua]" in line]
    assert line.endswith("(waived: Checked by hand.)")
    assert _table(result.stdout)[1]["en"][-2:] == ["1", "pass"]


def test_a_clinic_colour_too_light_fails_check_as_it_fails_build(project):
    path = project.content / "clinics" / "default.yaml"
    path.write_text(path.read_text().replace("#1F4E79", "#FFD700"))
    result = project.cli("check", "--content-gates", "--gate", "colour-contrast")
    assert result.exit_code == 1
    line = project.line_of("primary:", "clinics/default.yaml")
    assert result.stdout.splitlines()[0] == (
        f"content/clinics/default.yaml:{line}:12: [colour-contrast] colours.primary: #FFD700 is too light to read"
        " on white paper (contrast 1.4:1, at least 4.5:1 needed) — choose a darker shade of the brand colour")


def test_a_template_that_skips_a_heading_level_fails_the_build_and_writes_nothing(built, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    handout = templates / "handout" / "handout.html.j2"
    text = handout.read_text(encoding="utf-8")
    heading = "<h2>{{ section.heading | keep_end }}</h2>"
    assert heading in text
    handout.write_text(text.replace(heading, heading.replace("h2", "h4")), encoding="utf-8")
    before = _snapshot(built.root / "output")
    result = built.cli("build", *SMALL, "--templates", str(templates))
    assert result.exit_code == 1
    assert f"{built.article_file}:1:1: [pdf-ua] {HANDOUT} fails 1 PDF/UA-1 rule(s) of page-validation:" \
           " PDFUA1-HEADING-NESTING-001 ×1: heading level H4 skips an intervening heading level" \
           " — the handout template made an inaccessible PDF" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Aborted: ")
    assert _snapshot(built.root / "output") == before


def test_a_build_of_other_files_keeps_the_checks_of_the_files_it_did_not_render(built):
    result = built.cli("build", "--lang", "en", "--format", "handout", "--clinic", "riverside-physio")
    assert result.exit_code == 0, result.output
    checks = json.loads((built.root / "output" / "manifest.json").read_text())["checks"]
    assert sorted(checks["files"]) == sorted(f"{SEED}/en/{clinic}/handout-{v}.pdf"
                                             for clinic in ("default", "riverside-physio") for v in ("a4", "letter"))
    assert sorted(checks["clinics"]) == ["default", "riverside-physio"]
