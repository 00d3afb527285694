"""Content files are regular files inside the content folder, checked before
anything is opened: links out of it, named pipes, devices and folders where
a file should be are refused with their path, and nothing outside the
project is read (issue 13, item 6)."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import sysconfig
from pathlib import Path

import pytest

from publisher.build import uptodate
from tests.conftest import ROOT, SEED

ARTICLES = "content/articles"
SECRET = "SECRET-LINE-that-must-never-be-echoed: 42"
LINK_FILE = "is a link to a file outside the content folder — copy the file into content instead of linking to it"
LINK_FOLDER = ("is a link to a folder outside the content folder"
               " — copy the folder into content instead of linking to it")


@contextlib.contextmanager
def no_hang(seconds: int = 20):
    """A named pipe opened for reading blocks for ever: fail instead."""
    def stop(signum, frame):
        raise AssertionError(f"still running after {seconds} s: something opened a named pipe")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def outside(project) -> Path:
    """A folder beside the content folder, holding what links point to."""
    folder = project.root / "outside"
    (folder / "an-article").mkdir(parents=True, exist_ok=True)
    (folder / "secret.yaml").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "an-article" / "article.yaml").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def make_device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("creating a device needs root")


def refused(project) -> list[str]:
    with no_hang():
        lines = project.refused_by_both()
    assert not any(SECRET in line for line in lines)
    return lines


def test_an_article_folder_linked_out_of_the_content_folder_is_refused(project):
    (project.content / "articles" / "linked").symlink_to(outside(project) / "an-article")
    assert refused(project) == [f"{ARTICLES}/linked:1:1: (folder): {LINK_FOLDER}", "Aborted: 1 error in 1 file."]


def test_an_article_file_linked_out_of_the_content_folder_is_refused(project):
    project.article_path.unlink()
    project.article_path.symlink_to(outside(project) / "secret.yaml")
    assert refused(project) == [f"{ARTICLES}/{SEED}/article.yaml:1:1: (file): {LINK_FILE}",
                                "Aborted: 1 error in 1 file."]


def test_a_translation_or_clinic_linked_to_a_system_file_is_refused_without_reading_it(project):
    fr = project.content / "articles" / SEED / "translations" / "fr.yaml"
    fr.unlink()
    fr.symlink_to(outside(project) / "secret.yaml")
    (project.content / "clinics" / "zero.yaml").symlink_to("/dev/zero")
    assert refused(project) == [f"{ARTICLES}/{SEED}/translations/fr.yaml:1:1: (file): {LINK_FILE}",
                                f"content/clinics/zero.yaml:1:1: (file): {LINK_FILE}",
                                "Aborted: 2 errors in 2 files."]


def test_a_named_pipe_never_hangs_validate_or_build(project):
    project.article_path.unlink()
    os.mkfifo(project.article_path)
    (project.content / "articles" / SEED / "translations" / "de.yaml").unlink()
    os.mkfifo(project.content / "articles" / SEED / "translations" / "de.yaml")
    # The article is unreadable, so its translations are never listed: only the article is reported.
    assert refused(project) == [
        f"{ARTICLES}/{SEED}/article.yaml:1:1: (file): is a named pipe, not a file — replace it with the file itself",
        "Aborted: 1 error in 1 file."]


def test_a_pipe_device_or_folder_where_a_translation_or_clinic_should_be_is_refused(project):
    translations = project.content / "articles" / SEED / "translations"
    (translations / "de.yaml").unlink()
    os.mkfifo(translations / "de.yaml")
    (translations / "es.yaml").unlink()
    make_device(translations / "es.yaml")
    (project.content / "clinics" / "folder.yaml").mkdir()
    (project.content / "clinics" / "dangling.yaml").symlink_to("nowhere.yaml")
    assert refused(project) == [
        f"{ARTICLES}/{SEED}/translations/de.yaml:1:1: (file): is a named pipe, not a file"
        " — replace it with the file itself",
        f"{ARTICLES}/{SEED}/translations/es.yaml:1:1: (file): is a device, not a file"
        " — replace it with the file itself",
        "content/clinics/dangling.yaml:1:1: (file): is a link to nothing — replace it with the file itself",
        "content/clinics/folder.yaml:1:1: (file): is a folder, not a file — replace it with the file itself",
        "Aborted: 4 errors in 4 files."]


def test_links_inside_the_content_folder_are_followed(project):
    # A link that stays inside the project is a convenience, not a threat.
    shared = project.content / "shared-clinic.yaml"
    (project.content / "clinics" / "default.yaml").rename(shared)
    (project.content / "clinics" / "default.yaml").symlink_to(Path("..") / "shared-clinic.yaml")
    with no_hang():
        result = project.cli("validate")
    assert result.exit_code == 0, result.output


# ---- no file outside the project is opened -------------------------------------------------

_opened: list[str] | None = None


def _record(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_record)  # cannot be removed again: it records only while a test asks it to


@contextlib.contextmanager
def opened_paths():
    global _opened
    _opened = []
    try:
        with no_hang():
            yield _opened
    finally:
        _opened = None


def allowed_prefixes(project) -> tuple[str, ...]:
    """The project, the repository's templates and code, and where Python, its
    libraries and the system's fonts and locale data live."""
    places = {project.content, ROOT, Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
              *(Path(p) for p in sysconfig.get_paths().values()), Path("/usr"), Path("/etc/fonts"),
              Path("/var/cache/fontconfig"), Path("/dev/null"), Path("/dev/urandom")}
    return tuple(str(p.resolve()) for p in places)


def hostile_project(project) -> Path:
    out = outside(project)
    (project.content / "articles" / "linked").symlink_to(out / "an-article")
    fr = project.content / "articles" / SEED / "translations" / "fr.yaml"
    fr.unlink()
    fr.symlink_to(out / "secret.yaml")
    (project.content / "clinics" / "zero.yaml").symlink_to("/dev/zero")
    (project.content / "clinics" / "secret.yaml").symlink_to(out / "secret.yaml")
    os.mkfifo(project.content / "clinics" / "pipe.yaml")
    os.mkfifo(project.content / "notes.txt")  # read by nothing, but walked by the build's digest
    (project.content / "link-out.txt").symlink_to(out / "secret.yaml")
    (project.content / "loop").symlink_to(".")
    logo = project.content / "clinics" / "default-logo.svg"
    logo.unlink()
    os.mkfifo(logo)  # refused by the clinic checks, which must not open it either
    return out


def test_validate_and_build_open_nothing_outside_the_project(project):
    out = hostile_project(project)
    with opened_paths() as opened:
        lines = project.refused_by_both()
    assert lines[-1] == "Aborted: 6 errors in 6 files.", lines
    allowed = allowed_prefixes(project)
    strays = sorted({p for p in opened if not os.path.realpath(p).startswith(allowed)})
    assert strays == []
    assert not [p for p in opened if os.path.realpath(p).startswith(str(out.resolve()))]


def test_the_build_digest_opens_no_link_out_of_the_project_nor_any_pipe(project, tmp_path):
    out = hostile_project(project)
    with opened_paths() as opened:
        uptodate.read_inputs(project.content, ROOT / "templates", tmp_path / "output", uptodate.request())
    assert opened, "the digest read no file at all"
    assert all(os.path.realpath(p).startswith(str(project.content.resolve()) + os.sep)
               or os.path.realpath(p).startswith(str((ROOT / "templates").resolve()) + os.sep) for p in opened)
    assert not [p for p in opened if os.path.realpath(p).startswith(str(out.resolve()))]


def test_the_digest_still_sees_a_change_behind_a_link(project, tmp_path):
    out = outside(project)
    link = project.content / "link-out.txt"
    link.symlink_to(out / "secret.yaml")
    before = uptodate.read_inputs(project.content, ROOT / "templates", tmp_path / "o", uptodate.request())
    (out / "secret.yaml").write_text("changed, and longer than before\n", encoding="utf-8")
    after = uptodate.read_inputs(project.content, ROOT / "templates", tmp_path / "o", uptodate.request())
    assert before != after
