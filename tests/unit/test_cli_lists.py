"""`--lang en ar` (the README's `--lang TAG…`) and `--lang en --lang ar` mean the same."""

from __future__ import annotations

import pytest

from publisher.cli import spread_values
from tests.conftest import ROOT, run_cli

NAMES = {"--lang", "--format"}


@pytest.mark.parametrize("args, spread", [
    (["--lang", "en", "ar"], ["--lang", "en", "--lang", "ar"]),
    (["--lang", "en", "--lang", "ar"], ["--lang", "en", "--lang", "ar"]),
    (["--lang=en", "ar", "--force"], ["--lang=en", "--lang", "ar", "--force"]),
    (["--lang", "en", "ar", "--output", "out", "--format", "deck", "poster"],
     ["--lang", "en", "--lang", "ar", "--output", "out", "--format", "deck", "--format", "poster"]),
    # a word after any other option is that option's value or an extra argument, as before
    (["--output", "out", "en"], ["--output", "out", "en"]),
    (["--force", "en"], ["--force", "en"]),
    (["--lang", "en", "--", "ar"], ["--lang", "en", "--", "ar"]),
    (["--lang"], ["--lang"]),
])
def test_spread_values(args, spread):
    assert spread_values(args, NAMES) == spread


def _dry_run(tmp_path, *selection: str) -> list[str]:
    result = run_cli("build", "--output", str(tmp_path / "out"), "--dry-run", *selection)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out").exists()
    return [line.split(" (")[0] for line in result.stdout.splitlines() if line.startswith("would render")]


def test_build_takes_several_values_after_one_flag(tmp_path):
    both = _dry_run(tmp_path, "--lang", "en", "ar", "--format", "handout", "deck", "--clinic", "default",
                    "--article", "muscle-mass-loss-and-pain")
    repeated = _dry_run(tmp_path, "--lang", "en", "--lang", "ar", "--format", "handout", "--format", "deck",
                        "--clinic", "default", "--article", "muscle-mass-loss-and-pain")
    assert both == repeated
    assert sorted({path.split("/")[-3] for path in both}) == ["ar", "en"]
    assert sorted({path.rsplit("/", 1)[1] for path in both}) == ["deck-16x9.pptx", "handout-a4.pdf",
                                                                  "handout-letter.pdf"]
    assert {path.split("/")[-2] for path in both} == {"default"}


def test_an_unknown_value_in_a_list_is_named(tmp_path):
    result = run_cli("build", "--output", str(tmp_path / "out"), "--dry-run", "--lang", "en", "xx", "ar")
    assert result.exit_code == 2
    assert "--lang: unknown 'xx'; choose from" in result.stderr


def test_a_word_after_a_flag_is_still_refused(tmp_path):
    result = run_cli("build", "--output", str(tmp_path / "out"), "--force", "en")
    assert result.exit_code == 2
    assert "Got unexpected extra argument (en)" in result.stderr


def test_i18n_export_takes_several_languages(tmp_path):
    result = run_cli("i18n", "export", "--output", str(tmp_path), "--lang", "es", "fr")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["es.po", "fr.po"]


def test_help_shows_the_list_form():
    result = run_cli("build", "--help")
    assert "--lang TAG…" in result.stdout and "--format NAME…" in result.stdout
    assert (ROOT / "README.md").read_text(encoding="utf-8").count("[--lang TAG…]") >= 1
