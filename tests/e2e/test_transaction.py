"""A build owns its output folder: killed builds leave nothing behind once the
next one has run, two builds never interleave, what is found on disk is
checked before it is believed, and a folder that cannot take the files is one
located line with nothing changed (issue 13, items 5 and 6)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, SEED, run_cli

DECK = ["--format", "deck", "--lang", "en"]  # two small files, one per clinic: quick to build and to kill
ONE = [*DECK, "--clinic", "default"]


def digests(folder: Path) -> dict[str, str]:
    """Every output file's digest (hidden files hold times and caches, compared by name only)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def listing(folder: Path) -> list[str]:
    """Every name in the folder, hidden or not, files and folders."""
    return sorted(p.relative_to(folder).as_posix() + ("/" if p.is_dir() else "") for p in folder.rglob("*"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file, hidden ones included, but the "nothing changed" record: a cache a build drops before it
    writes anything, so that a build killed after that point cannot be taken for a finished one."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".publisher-uptodate.json"}


def build(output: Path, *args: str, content: Path = CONTENT):
    return run_cli("build", "--content", str(content), "--output", str(output), *args)


def manifest_matches_files(output: Path) -> None:
    manifest = json.loads((output / "manifest.json").read_text())
    for entry in manifest["artifacts"]:
        data = (output / entry["path"]).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["bytes"]), entry["path"]


def edited_content(tmp_path: Path, name: str = "edited") -> Path:
    """A copy of the content whose deck and handouts differ from the shipped one's."""
    content = tmp_path / name
    shutil.copytree(CONTENT, content)
    article = content / "articles" / SEED / "article.yaml"
    article.write_text(article.read_text().replace("Muscles support and protect", "Muscles hold and protect"))
    return content


# -- killed builds -------------------------------------------------------------

# Eight decks: enough files that staging lasts long enough for kills to land in it on a fast machine.
KILLED = ["--format", "deck", "--lang", "en", "--lang", "es", "--lang", "fr", "--lang", "de"]


def test_twenty_kills_then_a_rerun_leave_what_a_clean_build_leaves(tmp_path):
    reference = tmp_path / "reference"
    assert build(reference, *KILLED).exit_code == 0
    good = digests(reference)
    out = tmp_path / "out"
    # --force: every run renders, stages and commits; one file at a time, so
    # that staging spans the second half of a run and kills land in it.
    command = [sys.executable, "-m", "publisher", "build", "--content", str(CONTENT), "--output", str(out),
               *KILLED, "--force", "--jobs", "1"]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    whole = time.monotonic() - started
    moments = random.Random(13)  # random moments, the same ones on every run
    littered = 0
    for _ in range(20):
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(moments.uniform(0.3, 1.1) * whole)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and any process it started
        except ProcessLookupError:
            pass  # it had finished
        proc.wait()
        littered += any(p.name.endswith(".tmp") for p in out.rglob("*"))
        for name, digest in digests(out).items():
            if name != "manifest.json" and not name.endswith(".tmp"):
                assert digest == good[name], name  # old or new, complete: never partial
    assert littered, "no kill landed while files were staged: the test proved nothing"
    assert build(out, *KILLED).exit_code == 0
    assert listing(out) == listing(reference)  # no temporary, no stray folder, no lock file
    assert digests(out) == good
    manifest_matches_files(out)


def test_the_next_build_removes_every_kind_of_temporary_a_killed_build_leaves(tmp_path):
    out = tmp_path / "out"
    assert build(out, *ONE).exit_code == 0
    before = listing(out)
    folder = out / SEED / "en" / "default"
    leftovers = [out / ".manifest.json.k2j4h1.tmp", out / "..publisher-state.json.x9y8z7.tmp",
                 out / "..publisher-uptodate.json.tmp", folder / ".deck-16x9.pptx.a1b2c3d4.tmp",
                 out / SEED / "fr" / "clinic" / ".handout-a4.pdf.q1w2e3.tmp"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    mine = out / "notes.tmp"  # not a name a build uses: not the build's to remove
    mine.write_text("keep me")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".keep.tmp").write_text("keep me")
    (out / "linked").symlink_to(outside)
    result = build(out, *ONE, "--force")
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in leftovers)
    assert mine.read_text() == "keep me" and (outside / ".keep.tmp").read_text() == "keep me"
    assert listing(out) == sorted(before + ["notes.tmp", "linked/", f"{SEED}/fr/", f"{SEED}/fr/clinic/"])


# -- two builds, one folder ----------------------------------------------------

LOCKED_WORK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from publisher.build.transaction import Transaction

    root, log, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    with Transaction(root) as transaction:
        with log.open("a") as handle:
            handle.write(name + " starts\\n")
        transaction.stage(f"a/en/c/{name}.pdf", name.encode())
        time.sleep(1.5)
        transaction.commit({"artifacts": []}, {}, [])
        with log.open("a") as handle:
            handle.write(name + " ends\\n")
""")


def test_a_second_build_into_the_same_folder_waits_for_the_first(tmp_path):
    out, log = tmp_path / "out", tmp_path / "log"
    log.touch()

    def start(name: str) -> subprocess.Popen:
        with (tmp_path / f"{name}.err").open("w") as errors:
            return subprocess.Popen([sys.executable, "-c", LOCKED_WORK, str(out), str(log), name], cwd=ROOT,
                                    stderr=errors)
    first = start("first")
    deadline = time.monotonic() + 30
    while "first starts" not in log.read_text():
        assert time.monotonic() < deadline and first.poll() is None, (tmp_path / "first.err").read_text()
        time.sleep(0.02)
    second = start("second")
    assert first.wait(30) == 0 and second.wait(30) == 0, (tmp_path / "second.err").read_text()
    assert log.read_text().splitlines() == ["first starts", "first ends", "second starts", "second ends"]
    assert (tmp_path / "second.err").read_text().splitlines() == [
        f"waiting: another build is writing to {out.as_posix()}; this one starts when it has finished"]
    assert listing(out) == [".publisher-state.json", "a/", "a/en/", "a/en/c/", "a/en/c/first.pdf",
                            "a/en/c/second.pdf", "manifest.json"]


def test_two_builds_of_different_content_into_one_folder_leave_a_true_manifest(tmp_path):
    edited = edited_content(tmp_path)
    out = tmp_path / "out"
    # One after the other, back and forth...
    for content in (CONTENT, edited, CONTENT):
        assert build(out, *ONE, content=content).exit_code == 0
        manifest_matches_files(out)
    # ...and at the same time: one waits for the other, whichever finishes last wins whole.
    procs = [subprocess.Popen([sys.executable, "-m", "publisher", "build", "--content", str(content),
                               "--output", str(out), *ONE, "--jobs", "1"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for content in (edited, CONTENT)]
    results = [(proc.communicate(timeout=60)[1], proc.returncode) for proc in procs]
    assert [code for _, code in results] == [0, 0], results
    manifest_matches_files(out)
    assert build(out, *ONE, "--dry-run", content=edited).exit_code == 0


# -- what is found on disk -----------------------------------------------------

def test_a_planted_manifest_removes_nothing_outside_the_folder(tmp_path):
    out = tmp_path / "out"
    assert build(out, *ONE).exit_code == 0
    victim = tmp_path / "victim.txt"
    absolute = tmp_path / "absolute.txt"
    behind_link = tmp_path / "elsewhere" / "en" / "default" / "deck-16x9.pptx"
    for path in (victim, absolute, behind_link):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not the build's")
    (out / "old-article").symlink_to(tmp_path / "elsewhere")  # an article id that no longer exists
    manifest = json.loads((out / "manifest.json").read_text())
    template = manifest["artifacts"][0]
    planted = ["../victim.txt", str(absolute), "old-article/en/default/deck-16x9.pptx",
               f"{SEED}/../../victim.txt", "./victim.txt", ""]
    manifest["artifacts"] += [{**template, "path": path} for path in planted] + ["garbage", {"path": 7}]
    (out / "manifest.json").write_text(json.dumps(manifest))
    state = json.loads((out / ".publisher-state.json").read_text())
    state["../victim.txt"] = state[template["path"]]
    (out / ".publisher-state.json").write_text(json.dumps(state))

    result = build(out, *ONE)
    assert result.exit_code == 0, result.output
    assert all(path.read_text() == "not the build's" for path in (victim, absolute, behind_link))
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    shown = (out / "manifest.json").as_posix()
    for path in ["../victim.txt", str(absolute), f"{SEED}/../../victim.txt", "./victim.txt", "", "None", "7"]:
        assert f"note: {shown}: ignored the entry {path!r}: not a file inside the output folder" in notes
    assert (f"note: {(out / 'old-article/en/default/deck-16x9.pptx').as_posix()} was not removed: it is not a"
            " file a build made (a link, a folder, or behind a link)") in notes
    after = json.loads((out / "manifest.json").read_text())
    assert [entry["path"] for entry in after["artifacts"]] == [template["path"]]
    manifest_matches_files(out)


def test_a_garbage_manifest_is_ignored_with_a_note_and_everything_checked_again(tmp_path):
    out = tmp_path / "out"
    assert build(out, *ONE).exit_code == 0
    good = digests(out)
    (out / "manifest.json").write_text('{"artifacts": "all of them"}')
    (out / ".publisher-state.json").write_text("[1, 2")
    result = build(out, *ONE)
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("note: ")] == [
        f"note: {(out / 'manifest.json').as_posix()} is not a manifest publisher wrote; ignored (every file is"
        " checked against its content again)",
        f"note: {(out / '.publisher-state.json').as_posix()} cannot be read (JSONDecodeError); ignored (every"
        " file is checked against its content again)"]
    assert digests(out) == good
    manifest_matches_files(out)


@pytest.mark.parametrize("lie", ["sha256", "bytes"])
def test_a_manifest_that_does_not_match_its_file_is_not_believed(tmp_path, lie):
    out = tmp_path / "out"
    assert build(out, *DECK).exit_code == 0
    good = digests(out)
    manifest = json.loads((out / "manifest.json").read_text())
    told, other = manifest["artifacts"]  # the state still records the file as written
    told[lie] = "0" * 64 if lie == "sha256" else told["bytes"] + 1
    other["sha256"] = "1" * 64  # an entry of a file this build does not select
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = build(out, "--format", "deck", "--lang", "en", "--clinic", told["clinic"], "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["built_paths"] == [told["path"]]
    assert (f"note: {(out / other['path']).as_posix()} does not match its manifest entry; left out of the"
            " manifest (a build that selects it makes it again)") in result.stderr
    manifest_matches_files(out)
    assert {**digests(out), "manifest.json": None} == {**good, "manifest.json": None}
    result = build(out, *DECK, "--json")  # the file left out is checked again and listed again
    assert json.loads(result.stdout)["built_paths"] == [other["path"]]
    manifest_matches_files(out)
    assert digests(out) == good


# -- a folder that cannot take the files ---------------------------------------

def _can_mount() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def tmpfs(tmp_path):
    """A small file system of its own: a disk that can be filled, a folder that can be made read-only."""
    if not _can_mount():
        pytest.skip("needs root to mount a tmpfs")
    point = tmp_path / "mnt"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(point)]).returncode:
        pytest.skip("mount refused")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=True)


def _refused_with_nothing_changed(out: Path, before: dict[str, bytes], result, path: Path, what: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-2:] == [
        f"{path.as_posix()}: {what}", "Aborted: 1 error in 1 file."]
    assert snapshot(out) == before  # earlier outputs, manifest, state: all as they were; no temporary


def test_a_full_disk_is_one_line_and_changes_nothing(tmp_path, tmpfs):
    out = tmpfs / "out"
    assert build(out, *ONE).exit_code == 0
    before = snapshot(out)
    filler = tmpfs / "filler"
    with filler.open("wb", buffering=0) as handle:  # fill the disk to the last block
        try:
            while True:
                handle.write(b"\0" * 1024)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    result = build(out, *ONE, "--force", content=edited_content(tmp_path))
    path = out / SEED / "en" / "default" / "deck-16x9.pptx"
    _refused_with_nothing_changed(out, before, result, path,
                                  "no space left on the disk; nothing in the output folder was changed — free"
                                  " some space or choose another --output, then build again")


def test_a_full_disk_while_writing_leaves_no_partial_temporary(tmp_path, monkeypatch):
    """The same without a file system of its own: the write fails half-way, as it would on a full disk."""
    out = tmp_path / "out"
    assert build(out, *ONE).exit_code == 0
    before = snapshot(out)
    from publisher.build import transaction

    real = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    # `transaction.os` is the one `os` module: only writing is made to fail, reading stays as it is.
    monkeypatch.setattr(transaction.os, "fdopen",
                        lambda fd, mode="r", *a, **k: Full(real(fd, mode)) if "w" in mode else real(fd, mode, *a, **k))
    result = build(out, *ONE, "--force")
    path = out / SEED / "en" / "default" / "deck-16x9.pptx"
    _refused_with_nothing_changed(out, before, result, path,
                                  "no space left on the disk; nothing in the output folder was changed — free"
                                  " some space or choose another --output, then build again")


def test_a_read_only_output_folder_is_one_line_and_changes_nothing(tmp_path, tmpfs):
    out = tmpfs / "out"
    assert build(out, *ONE).exit_code == 0
    before = snapshot(out)
    assert subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)]).returncode == 0
    result = build(out, *ONE, "--force")
    path = out / ".publisher-uptodate.json"  # the first file the build would change
    _refused_with_nothing_changed(out, before, result, path,
                                  "the folder is read-only; nothing in the output folder was changed — make the"
                                  " output folder writable or choose another --output")


def test_a_file_where_an_output_folder_must_go_is_one_line_and_changes_nothing(tmp_path):
    out = tmp_path / "out"
    assert build(out, *ONE).exit_code == 0
    blocked = out / SEED / "en" / "riverside-physio"
    blocked.write_text("a file, not a folder")
    before = snapshot(out)
    result = build(out, *DECK)
    _refused_with_nothing_changed(out, before, result, blocked,
                                  "a file is where a folder must go; nothing in the output folder was changed"
                                  " — move or remove that file, then build again")
    blocked.unlink()
    (tmp_path / "elsewhere").mkdir()
    blocked.symlink_to(tmp_path / "elsewhere")
    before = snapshot(out)
    result = build(out, *DECK)
    _refused_with_nothing_changed(out, before, result, blocked,
                                  "a symbolic link is where a folder must go (a build writes only inside its"
                                  " output folder); nothing in the output folder was changed — replace the link"
                                  " with a folder, or remove it")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    parent_is_file = tmp_path / "a-file"
    parent_is_file.write_text("x")
    result = build(parent_is_file / "out", *ONE)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0].startswith(f"{parent_is_file.as_posix()}: a file is where a folder")
    assert parent_is_file.read_text() == "x"


def test_a_manifest_that_is_a_link_is_not_read_and_its_target_not_written(tmp_path):
    out = tmp_path / "out"
    assert build(out, *ONE).exit_code == 0
    target = tmp_path / "somewhere.json"
    target.write_text((out / "manifest.json").read_text())
    (out / "manifest.json").unlink()
    (out / "manifest.json").symlink_to(target)
    result = build(out, *ONE)
    assert result.exit_code == 0, result.output
    assert (f"note: {(out / 'manifest.json').as_posix()} is not a regular file; ignored (every file is checked"
            " against its content again)") in result.stderr.splitlines()
    assert not (out / "manifest.json").is_symlink()
    assert target.read_text() == (out / "manifest.json").read_text()  # untouched, and the same content
    manifest_matches_files(out)
