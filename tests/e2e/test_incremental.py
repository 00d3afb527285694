"""Incremental, parallel, sharded and distributed builds give the same files
as one clean build, and rebuild exactly what changed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from tests.conftest import CONTENT, SEED, TEMPLATES, run_cli

# The tests that compare renders made in different ways render every file themselves
# (`renders`); the others test what is rebuilt, and take unchanged files from the suite's cache.

# The print formats: the web pages' incremental builds are tested in test_web.py.
SELECTION = ["--clinic", "default", "--lang", "en", "--lang", "de", "--format", "handout", "--format", "large-print",
             "--format", "deck", "--format", "poster"]
FORMATS = {"handout": 2, "large-print": 2, "deck": 1, "poster": 3}  # files per language
ALL = 2 * sum(FORMATS.values())  # two languages


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def build(root, *args, output="output", content="content", selection=tuple(SELECTION)):
    result = run_cli("build", "--content", content, "--templates", "templates", "--output", output,
                     *selection, "--json", *args, cwd=root)
    summary = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, summary


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project with its own templates, built once; tests work on copies."""
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    result, summary = build(root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert summary["built"] == ALL
    return root


@pytest.fixture
def work(built, tmp_path):
    root = tmp_path / "work"
    shutil.copytree(built, root, symlinks=True)
    return root


def test_a_rebuild_with_nothing_changed_renders_nothing(work):
    before = {p: p.stat().st_mtime_ns for p in (work / "output").rglob("*.pdf")}
    result, summary = build(work)
    assert result.exit_code == 0
    assert (summary["built"], summary["skipped"], summary["removed"]) == (0, ALL, 0)
    assert {p: p.stat().st_mtime_ns for p in (work / "output").rglob("*.pdf")} == before


def _refuse_to_load(monkeypatch):
    """Make the full check impossible: a build that still succeeds took the shortcut."""
    import publisher.content

    def refuse(content_dir):
        raise AssertionError("the content was loaded")
    monkeypatch.setattr(publisher.content, "load_project", refuse)


def test_an_unchanged_catalogue_is_found_current_without_loading_it(work, monkeypatch):
    _refuse_to_load(monkeypatch)
    result, summary = build(work)
    assert (result.exit_code, summary["built"], summary["skipped"], summary["removed"]) == (0, 0, ALL, 0)
    result, _ = build(work, "--dry-run")
    assert f"0 to render, {ALL} current, 0 to remove" in result.stderr


def test_a_no_op_imports_neither_the_content_model_nor_a_renderer(work):
    import subprocess
    import sys

    probe = ("import sys\nfrom publisher.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n"
             "    assert not e.code, e.code\nprint(sorted(m for m in sys.modules if m.split('.')[0] in"
             " ('pydantic', 'yaml', 'jinja2', 'weasyprint', 'pptx') or m.startswith('publisher.content')))")
    done = subprocess.run([sys.executable, "-c", probe, "build", "--content", "content", "--templates", "templates",
                           "--output", "output", *SELECTION], cwd=work, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[0].startswith(f"Built 0, skipped {ALL}, removed 0, failed 0 in ")
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("change", ["same-size edit, same time", "manifest deleted", "state deleted",
                                    "SOURCE_DATE_EPOCH", "another selection", "snapshot corrupt",
                                    "new file in templates", "system Pango upgraded"])
def test_the_shortcut_misses_no_change(work, monkeypatch, change):
    """Every one of these makes the shortcut step aside; the full check then does what it always did."""
    article = work / "content/articles" / SEED / "article.yaml"
    selection = tuple(SELECTION)
    if change == "same-size edit, same time":
        stat = article.stat()
        article.write_text(article.read_text().replace("Muscles support and protect", "Muscles SUPPORT and protect"))
        os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert article.stat().st_size == stat.st_size
    elif change == "manifest deleted":
        (work / "output/manifest.json").unlink()
    elif change == "state deleted":
        (work / "output/.publisher-state.json").unlink()
    elif change == "SOURCE_DATE_EPOCH":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    elif change == "another selection":
        selection = ("--clinic", "default", "--lang", "en", *SELECTION[-6:])
    elif change == "snapshot corrupt":
        (work / "output/.publisher-uptodate.json").write_text("{not json")
    elif change == "new file in templates":
        (work / "templates/handout/extra.css").write_text("/* new */\n")
    elif change == "system Pango upgraded":
        from publisher.build import plan, system_libraries

        upgraded = tuple((name, "99.0" if name == "pango" else version)
                         for name, version in system_libraries.versions())
        monkeypatch.setattr(system_libraries, "versions", lambda: upgraded)
        plan._libraries.cache_clear()
        monkeypatch.setattr(plan, "_libraries", plan._libraries.__wrapped__)  # uncached while patched
    result, summary = build(work, "--dry-run", selection=selection)
    assert result.exit_code == 0, result.output
    # The handout's templates are the large-print edition's too.
    expected = {"same-size edit, same time": 10, "manifest deleted": ALL, "SOURCE_DATE_EPOCH": ALL,
                "new file in templates": 8, "system Pango upgraded": ALL}.get(change, 0)
    assert len([line for line in result.stderr.splitlines() if line.startswith("would render ")]) == expected
    _, summary = build(work, selection=selection)
    assert summary["built"] == expected
    assert (work / "output/manifest.json").is_file() and (work / "output/.publisher-state.json").is_file()
    _refuse_to_load(monkeypatch)  # ...and now the shortcut holds again
    result, summary = build(work, selection=selection)
    assert (result.exit_code, summary["built"]) == (0, 0)


def test_one_sentence_edit_rebuilds_exactly_what_shows_it(work, tmp_path):
    article = work / "content/articles" / SEED / "article.yaml"
    article.write_text(article.read_text().replace("Muscles support and protect", "Muscles hold and protect"))
    result, summary = build(work)
    assert result.exit_code == 0
    # A paragraph: handouts (of both editions) and decks show it, posters do not.
    # German shows the new English sentence because its translation is now stale.
    assert sorted(summary["built_paths"]) == sorted(
        f"{SEED}/{lang}/default/{name}" for lang in ("de", "en")
        for name in ("deck-16x9.pptx", "handout-a4.pdf", "handout-letter.pdf", "large-print-a4.pdf",
                     "large-print-letter.pdf"))
    # ...and the result is what a clean build of the edited content gives.
    clean, _ = build(work, output=str(tmp_path / "clean"))
    assert clean.exit_code == 0
    assert digests(work / "output") == digests(tmp_path / "clean")


def test_touching_a_template_rebuilds_only_the_files_that_use_it(work):
    css = work / "templates/poster/poster.css"
    css.write_text(css.read_text() + "\n/* touched */\n")
    result, summary = build(work, "--dry-run")
    assert result.exit_code == 0
    assert "would render muscle-mass-loss-and-pain/de/default/poster-a2.pdf (changed: templates)" in result.stderr
    _, summary = build(work)
    assert sorted(summary["built_paths"]) == sorted(
        f"{SEED}/{lang}/default/poster-{size}.pdf" for lang in ("de", "en") for size in ("a2", "a3", "tabloid"))


def test_deleted_or_altered_outputs_are_rebuilt(work, built):
    (work / f"output/{SEED}/en/default/handout-a4.pdf").unlink()
    altered = work / f"output/{SEED}/de/default/deck-16x9.pptx"
    altered.write_bytes(altered.read_bytes() + b"x")
    result, _ = build(work, "--dry-run")
    assert f"would render {SEED}/en/default/handout-a4.pdf (output missing)" in result.stderr
    assert f"would render {SEED}/de/default/deck-16x9.pptx (output altered)" in result.stderr
    assert f"2 to render, {ALL - 2} current, 0 to remove" in result.stderr
    _, summary = build(work)
    assert summary["built"] == 2
    assert digests(work / "output") == digests(built / "output")


def test_outputs_of_a_removed_language_disappear(work):
    (work / "content/articles" / SEED / "translations/de.yaml").unlink()
    result, summary = build(work, selection=("--clinic", "default", "--lang", "en", *SELECTION[-6:]))
    assert result.exit_code == 0, result.output
    gone = sorted(f"{SEED}/de/default/{name}" for name in (
        "deck-16x9.pptx", "handout-a4.pdf", "handout-letter.pdf", "large-print-a4.pdf", "large-print-letter.pdf",
        "poster-a2.pdf", "poster-a3.pdf", "poster-tabloid.pdf"))
    assert summary["removed_paths"] == gone
    assert not (work / f"output/{SEED}/de").exists()
    manifest = json.loads((work / "output/manifest.json").read_text())
    assert manifest["removed"] == gone
    assert {a["lang"] for a in manifest["artifacts"]} == {"en"}


@pytest.mark.renders
def test_force_rebuilds_everything_to_the_same_bytes(work, built):
    _, summary = build(work, "--force")
    assert summary["built"] == ALL
    assert digests(work / "output") == digests(built / "output")


@pytest.mark.renders
def test_one_process_and_two_give_the_same_files(built, tmp_path):
    result, _ = build(built, "--jobs", "1", output=str(tmp_path / "serial"))
    assert result.exit_code == 0
    assert digests(tmp_path / "serial") == digests(built / "output")


@pytest.mark.renders
def test_shards_add_up_to_a_full_build(built, tmp_path):
    sizes = []
    for k in (1, 2, 3):
        result, summary = build(built, "--shard", f"{k}/3", output=str(tmp_path / f"shard{k}"))
        assert result.exit_code == 0
        sizes.append(summary["built"])
    assert sum(sizes) == ALL and max(sizes) - min(sizes) <= 1  # balanced
    union = {}
    for k in (1, 2, 3):
        shard = digests(tmp_path / f"shard{k}")
        shard.pop("manifest.json")
        assert not set(shard) & set(union)  # no file is built twice
        union.update(shard)
    full = digests(built / "output")
    full.pop("manifest.json")
    assert union == full
    merged = tmp_path / "merged.json"
    result = run_cli("manifest", "merge", *(str(tmp_path / f"shard{k}/manifest.json") for k in (1, 2, 3)),
                     "--output", str(merged))
    assert result.exit_code == 0
    assert json.loads(merged.read_text()) == json.loads((built / "output/manifest.json").read_text())


def test_a_failure_does_not_stop_the_others_and_all_are_listed(work):
    before = digests(work / "output")
    article = work / "content/articles" / SEED / "article.yaml"
    text = article.read_text()
    # `poster: show`: the poster may not shorten the list, so its 600-character item cannot fit.
    article.write_text(text.replace("heading: Joint pain", "heading: " + "Joint pain " * 60).replace(
        "id: causes\n        style: numbered\n", "id: causes\n        style: numbered\n        poster: show\n")
        # A layout test's planted text, not for readers: the plain-language gates are waived.
        + "\nwaivers:\n" + "".join(f"  - gate: {gate}\n    reason: a layout test\n"
                                   for gate in ("reading-level", "sentence-length")))
    result, summary = build(work, "--jobs", "2", selection=("--clinic", "default", "--lang", "en"))
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if "(layout)" in line or "does not fit" in line
              or "title" in line and "article.yaml" in line]
    assert summary["failed"] >= 2 and len(failed) >= 2  # the deck and posters each report
    assert summary["built"] == 0  # a failed build writes nothing: the output is as it was
    assert digests(work / "output") == before


def test_progress_is_one_plain_line_per_file_without_a_terminal(work):
    (work / f"output/{SEED}/en/default/handout-a4.pdf").unlink()
    result = run_cli("build", "--content", "content", "--templates", "templates", "--output", "output",
                     *SELECTION, cwd=work)
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"[1/1] {SEED}/en/default/handout-a4.pdf (2 pages,") for line in lines)
    assert result.stdout.splitlines()[-1].startswith(f"Built 1, skipped {ALL - 1}, removed 0, failed 0 in ")


@pytest.mark.renders
def test_dask_local_cluster_builds_the_same_files(built, tmp_path):
    if os.environ.get("PUBLISHER_REQUIRE_TOOLS"):
        import distributed  # noqa: F401  (CI must have the extra installed)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result, summary = build(built, "--executor", "dask", "--scheduler", cluster.scheduler_address,
                                output=str(tmp_path / "dask"))
    assert result.exit_code == 0, result.output
    assert summary["built"] == ALL
    assert digests(tmp_path / "dask") == digests(built / "output")


def test_the_example_ci_workflow_uses_real_commands():
    import shlex

    import yaml

    from tests.conftest import ROOT
    workflow = yaml.safe_load((ROOT / "examples/ci/github-actions.yml").read_text())
    commands = [line.strip() for job in workflow["jobs"].values() for step in job["steps"]
                for line in str(step.get("run", "")).splitlines() if line.strip().startswith("publisher ")]
    assert len(commands) >= 4
    for command in commands:
        words = [w for w in shlex.split(command.split(">")[0].replace("${{ matrix.shard }}", "1"))
                 if "*" not in w][1:]
        if words[0] == "manifest":
            words = ["manifest", "merge", "--help"]
        result = run_cli(*words, "--help")
        assert result.exit_code == 0, (command, result.output)


@pytest.mark.renders
def test_workers_leave_no_temporary_font_folders(work, tmp_path, monkeypatch):
    # Each worker keeps WeasyPrint's font configurations (and their folders of
    # font copies) for the whole build, with the heap frozen after its first
    # file (build/execute.py); at exit both must go.
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result, summary = build(work, "--jobs", "2", "--force")
    assert result.exit_code == 0 and summary["built"] == ALL
    assert sorted(p.name for p in scratch.iterdir()) == []
