"""What a build takes from its environment: SOURCE_DATE_EPOCH only when it is
a date, and no font settings of the user who runs it (issue 13, item 5)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import CONTENT, ROOT, run_cli

HINT = ("is not a date — set it to a whole number of seconds since 1970-01-01 UTC, such as 1767225600"
        " (`git log -1 --format=%ct`), or unset it")


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "1e9", "+1767225600", "253402300800",
                                   "99999999999999999999999", "١٧٦٧٢٢٥٦٠٠", "1767 225600"])
@pytest.mark.parametrize("command", [["build"], ["validate"], ["i18n", "export"]])
def test_a_source_date_epoch_that_is_not_a_date_is_one_line_and_exit_2(tmp_path, monkeypatch, value, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    output = ["--output", str(tmp_path / "out")] if command[0] != "validate" else []
    result = run_cli(*command, "--content", str(CONTENT), *output)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"SOURCE_DATE_EPOCH: {value!r} {HINT}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value, date", [("0", "1970-01-01"), (" 1767225600 ", "2026-01-01"),
                                         ("253402300799", "9999-12-31"), ("", None)])
def test_a_source_date_epoch_that_is_a_date_is_used(monkeypatch, value, date):
    from publisher.build import source_date
    from publisher.content import load_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    article = next(iter(load_project(CONTENT).articles.values()))
    assert source_date(article) == (date or article.article.metadata.published.isoformat())


HOSTILE = textwrap.dedent("""\
    <?xml version="1.0"?>
    <!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
    <fontconfig>
      <match target="pattern">
        <edit name="family" mode="prepend" binding="strong"><string>DejaVu Serif</string></edit>
      </match>
      <match target="font">
        <edit name="hinting" mode="assign"><bool>false</bool></edit>
      </match>
    </fontconfig>
    """)


def test_the_users_font_settings_change_nothing_in_the_files(tmp_path):
    home = tmp_path / "home"
    for place in (home / ".config/fontconfig/fonts.conf", home / ".fonts.conf"):
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_text(HOSTILE)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "FONTCONFIG"))}
    environment["HOME"] = str(home)
    if shutil.which("fc-match"):  # the settings are real: fontconfig itself obeys them
        chosen = subprocess.run(["fc-match", "sans-serif"], env=environment, capture_output=True, text=True).stdout
        assert "DejaVu Serif" in chosen, chosen

    selection = ["--format", "handout", "--lang", "en", "--clinic", "default"]
    clean = tmp_path / "clean"
    assert run_cli("build", "--content", str(CONTENT), "--output", str(clean), *selection).exit_code == 0
    hostile = tmp_path / "hostile"
    done = subprocess.run([sys.executable, "-m", "publisher", "build", "--content", str(CONTENT),
                           "--output", str(hostile), *selection, "--jobs", "1"],
                          cwd=ROOT, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pdfs = sorted(p.relative_to(clean) for p in clean.rglob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert hashlib.sha256((hostile / pdf).read_bytes()).digest() == hashlib.sha256(
            (clean / pdf).read_bytes()).digest(), pdf
    assert not (home / ".cache").exists()  # nor is a font cache written into the home folder
