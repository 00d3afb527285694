"""Shared fixtures: the repository, throw-away projects, and a built seed."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = "muscle-mass-loss-and-pain"

# The suite reads the shipped article and clinics from a copy of its own, so a
# clinic or article a user adds to content/ (as the README invites) changes
# nothing the tests see, and `make test` keeps passing (issue 12).
SHIPPED_ARTICLES = (SEED,)
SHIPPED_CLINICS = ("default", "riverside-physio")


def shipped_content(dest: Path, source: Path = ROOT / "content") -> Path:
    """Copy the shipped articles and clinic profiles (with every non-YAML file
    of the clinics folder: logos, deck templates) from `source` to `dest`."""
    (dest / "articles").mkdir(parents=True)
    for article in SHIPPED_ARTICLES:
        shutil.copytree(source / "articles" / article, dest / "articles" / article)
    (dest / "clinics").mkdir()
    for path in sorted((source / "clinics").iterdir()):
        if path.is_file() and (path.suffix != ".yaml" or path.stem in SHIPPED_CLINICS):
            shutil.copy2(path, dest / "clinics" / path.name)
    return dest


_SHIPPED_ROOT = Path(tempfile.mkdtemp(prefix="publisher-tests-"))
atexit.register(shutil.rmtree, _SHIPPED_ROOT, True)
CONTENT = shipped_content(_SHIPPED_ROOT / "content")


# Every build of the suite shares one render cache (`--cache`, here through its environment
# variable), so the shipped article is rendered once, not in every test that builds it: the
# cache's soundness is the fingerprints' completeness, which the modules marked `renders`
# prove with renders of their own (the property tests, determinism, never-stale, Dask).
# One folder for every xdist worker of a run; the controller removes it at the end.
RENDER_CACHE = Path(tempfile.gettempdir()) / \
    f"publisher-test-cache-{os.environ.get('PYTEST_XDIST_TESTRUNUID') or os.getpid()}"
os.environ["PUBLISHER_CACHE"] = str(RENDER_CACHE)


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        for suffix in ("", "-seed", "-seed.lock"):
            path = RENDER_CACHE.with_name(RENDER_CACHE.name + suffix)
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


@pytest.fixture(autouse=True, scope="module")
def _module_renders(request):
    with pytest.MonkeyPatch.context() as patch:
        if request.node.get_closest_marker("renders"):
            patch.delenv("PUBLISHER_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True)
def _test_renders(request, monkeypatch):
    if request.node.get_closest_marker("renders"):
        monkeypatch.delenv("PUBLISHER_CACHE", raising=False)


def require_tool(*names: str) -> None:
    """Skip when an external program is missing; fail instead in CI.

    `.ci/run` sets PUBLISHER_REQUIRE_TOOLS=1, so CI cannot pass by skipping.
    """
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        message = f"needs {', '.join(missing)} on PATH"
        if os.environ.get("PUBLISHER_REQUIRE_TOOLS"):
            pytest.fail(message + " (PUBLISHER_REQUIRE_TOOLS is set)")
        pytest.skip(message)


def run_cli(*args: str, cwd: Path | None = None):
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd or _SHIPPED_ROOT)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory) -> Path:
    """The shipped content built once for the whole session, whichever xdist worker asks first:
    the others wait for it (a lock beside the shared render cache) and read the same folder."""
    import fcntl

    out = RENDER_CACHE.with_name(RENDER_CACHE.name + "-seed")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(RENDER_CACHE.with_name(RENDER_CACHE.name + "-seed.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "manifest.json").is_file():
            shutil.rmtree(out, ignore_errors=True)  # a worker that failed half-way
            result = run_cli("build", "--content", str(CONTENT), "--output", str(out))
            assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def project(tmp_path) -> "ProjectFactory":
    return ProjectFactory(tmp_path)


class ProjectFactory:
    """A copy of the shipped content in a temporary folder, to break on purpose."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        shutil.copytree(CONTENT, self.content)
        self.article_path = self.content / "articles" / SEED / "article.yaml"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def edit_article(self, old: str, new: str) -> None:
        text = self.article_path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the article"
        self.article_path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def waive(self, *gates: str, reason: str = "a layout test plants text no reader would get") -> None:
        """Waive plain-language gates for the whole article (its `waivers:`), for a test that
        plants text to stretch a layout, not to be read: the waiver is the content's own way."""
        text = self.article_path.read_text(encoding="utf-8").rstrip("\n")
        self.article_path.write_text(text + "\nwaivers:\n" + "".join(
            f"  - gate: {gate}\n    reason: {reason}\n" for gate in gates), encoding="utf-8")

    def line_of(self, needle: str, relative: str | None = None) -> int:
        path = self.content / relative if relative else self.article_path
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} not found")

    def cli(self, *args: str):
        return run_cli(*args, "--content", "content", cwd=self.root) if args[0] != "build" else \
            run_cli(*args, "--content", "content", "--output", "output", cwd=self.root)

    @property
    def article_file(self) -> str:
        return f"content/articles/{SEED}/article.yaml"

    def refused_by_both(self, *extra: str) -> list[str]:
        """Run `validate` and `build` on the project; both must refuse with exit
        code 1 and the same located lines, `build` must write nothing, and each
        must finish within a second or two. Returns the error lines.

        Every bad-input test uses this, so `validate` can never say OK about
        input that `build` would refuse (issue 13).
        """
        import time

        _warm_language_data()
        output = self.root / "output"
        before = _snapshot(output)
        lines = []
        for command in ("validate", "build"):
            started = time.process_time()  # CPU time: the bound is on the work, not on a busy machine
            result = self.cli(command, *extra)
            seconds = time.process_time() - started
            assert result.exit_code == 1, f"{command} exit {result.exit_code}: {result.output}"
            assert "Traceback" not in result.output and "internal error" not in result.output, result.output
            assert seconds < 5, f"{command} took {seconds:.1f} s"
            lines.append(result.stderr.strip().splitlines())
        assert lines[0] == lines[1], f"validate and build disagree:\n{lines[0]}\n{lines[1]}"
        assert _snapshot(output) == before, "build wrote into the output folder"
        return lines[0]


_WARM: list[bool] = []


def _warm_language_data() -> None:
    """Load what the plain-language gates read (hyphenation patterns, word frequencies,
    the pronouncing dictionary) once per test process. The bound in `refused_by_both`
    is about work a hostile file can cause; the first gate run of a process pays a few
    seconds of loading whatever the input (about 4 s for the six shipped languages)."""
    if not _WARM:
        run_cli("validate", "--content", str(CONTENT))
        _WARM.append(True)


def _snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- No process outlives the test that started it (issue 13) -----------------
# A build killed by a test leaves its process-pool workers behind, and Linux
# hands such orphans to PID 1, out of the suite's sight. Made a "child
# subreaper", pytest receives them instead, so every process the suite started
# stays its descendant: after each test, those that test left are killed, and
# the session's end sweeps whatever remains. Linux only (/proc, prctl).

PR_SET_CHILD_SUBREAPER = 36
# The interpreter's own helpers (started once, ended with it) are not leftovers.
_INTERPRETER_HELPERS = ("from multiprocessing.resource_tracker", "from multiprocessing.forkserver")


def become_subreaper() -> bool:
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(root: int | None = None) -> dict[int, str]:
    """Live descendants of `root` (this process): pid -> command line; zombies left out.

    One pass over /proc/*/stat (bytes and os.listdir: this runs twice per test).
    """
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue  # ended meanwhile
        state, ppid = stat[stat.rindex(b")") + 2:].split(None, 2)[:2]
        if state not in (b"Z", b"X"):
            children.setdefault(int(ppid), []).append(int(name))
    found: dict[int, str] = {}
    stack = [os.getpid() if root is None else root]
    while stack:
        for pid in children.get(stack.pop(), []):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            except OSError:
                continue
            found[pid] = command
            stack.append(pid)
    return {pid: cmd for pid, cmd in found.items() if not any(h in cmd for h in _INTERPRETER_HELPERS)}


def kill_processes(pids) -> None:
    """SIGKILL each process, then reap those that became this process's children."""
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass  # not our child (its own parent reaps it) or already reaped


@pytest.fixture(scope="session", autouse=True)
def _no_process_outlives_the_session(request):
    if not Path("/proc/self/stat").exists():
        yield
        return
    become_subreaper()
    yield
    left = descendants()
    kill_processes(left)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if left and reporter is not None:
        for pid, cmd in sorted(left.items()):
            reporter.write_line(f"killed leftover process {pid}: {cmd[:200]}")


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test():
    if not Path("/proc/self/stat").exists():
        yield
        return
    before = set(descendants())
    yield
    kill_processes([pid for pid in descendants() if pid not in before])


# The longest modules first: `make test` hands whole modules to its processes in collection order,
# and a long one collected last would run alone on one core while the other waits.
LONGEST_FIRST = ("test_transaction.py", "test_fixture_shapes_every_format.py", "test_poster_adapt.py",
                 "test_fresh_setup.py", "test_fingerprint_property.py", "test_languages.py",
                 "test_determinism_and_safety.py", "test_incremental.py", "test_web_axe.py")


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each module keeps its order
