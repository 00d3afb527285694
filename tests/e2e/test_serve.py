"""`publisher serve` (issue 14, item 3): the real server, in its own process, on a free port.

One server for the file (one article, one language, one clinic, web pages only): the tests
read pages, listen to the reload events as a browser's EventSource does, edit the article and
watch the page change, break it and read the errors over the last good page, try to read
outside the output folder, and end it with Ctrl-C.
"""

from __future__ import annotations

import html
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, SEED, descendants, run_cli

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")

PAGE = f"/site/default/en/{SEED}/"
ARTICLE = f"content/articles/{SEED}/article.yaml"
SELECTION = ("--format", "web", "--lang", "en", "--clinic", "default")
READY = re.compile(r"Serving \S+ at http://127\.0\.0\.1:(\d+)/")


class Served:
    """A `publisher serve` process and the lines it prints (read as they come, so it never blocks)."""

    def __init__(self, root: Path, *options: str):
        self.root = root
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen([sys.executable, "-m", "publisher", "serve", "--content", "content",
                                      "--output", "output", *options], cwd=root, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = 0

    def _read(self) -> None:
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern: str, seconds: float = 120) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        pytest.fail(f"serve did not print {pattern!r}; it printed:\n" + "\n".join(self.seen))

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)  # the path as written
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def page(self) -> str:
        status, _, body = self.get(PAGE)
        assert status == 200
        return body.decode("utf-8")

    def build_number(self) -> str:
        return re.search(r'data-build="([0-9a-f]{8}-\d+)"', self.page()).group(1)

    def stop(self, signum: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            return self.proc.wait(60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._reader.join(10)


class Events:
    """The reload events, read as a browser's EventSource reads them."""

    def __init__(self, served: Served, since: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        self.connection.request("GET", f"/__publisher/events?since={since}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
        assert self.response.fp.readline() == b"retry: 1000\n"  # connected

    def next_reload(self) -> str:
        while True:
            line = self.response.fp.readline()
            assert line, "the event stream closed"
            if line == b"event: reload\n":
                return self.response.fp.readline().decode()

    def close(self) -> None:
        self.connection.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(CONTENT, root / "content")
    server = Served(root, *SELECTION, "--port", "0")
    server.port = int(server.wait_for(READY.pattern).group(1))
    server.wait_for(r"^Watching content and .* for changes$")
    yield server
    server.stop()


def test_the_served_page_has_the_reload_script_and_the_file_on_disk_does_not(served):
    on_disk = (served.root / "output" / PAGE.strip("/") / "index.html").read_text(encoding="utf-8")
    status, headers, body = served.get(PAGE)
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    script = re.search(r'<script src="/__publisher/reload.js" data-build="[0-9a-f]{8}-\d+" defer></script>', page)
    assert script and page.index(script.group(0)) < page.index("</head>")
    assert "__publisher" not in on_disk
    # The built page forbids scripts; the served copy allows this server's own, and says so in a header too.
    assert "script-src 'none'" in on_disk and "script-src 'none'" not in page
    assert headers["content-security-policy"] == ("default-src 'self'; script-src 'self'; object-src 'none';"
                                                  " base-uri 'none'; form-action 'none'")
    assert f'content="{headers["content-security-policy"]}"' in page
    assert page.replace(script.group(0) + "\n", "").replace(
        '<link rel="stylesheet" href="/__publisher/preview.css">', "") == on_disk.replace(
        "script-src 'none'", "script-src 'self'")
    status, headers, body = served.get("/__publisher/reload.js")
    assert status == 200 and headers["content-type"] == "text/javascript; charset=utf-8"
    assert b"new EventSource(" in body
    # A folder without its slash is sent to it (relative links need it); HEAD sends no body.
    assert served.get(PAGE.rstrip("/"))[:2][0] == 301
    assert served.get(PAGE.rstrip("/"))[1]["location"] == PAGE
    status, headers, body = served.get(PAGE, "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) == len(page.encode("utf-8"))
    css = next((served.root / "output/site/default/assets").glob("site.*.css")).name
    assert served.get(f"/site/default/assets/{css}")[1]["content-type"] == "text/css; charset=utf-8"


def test_a_save_reloads_the_open_page_within_two_seconds(served):
    events = Events(served, served.build_number())
    try:
        saved = time.perf_counter()
        _edit(served.root / ARTICLE, "Muscles support and protect", "Muscles hold up and protect")
        events.next_reload()
        seconds = time.perf_counter() - saved
    finally:
        events.close()
    print(f"reload event {seconds:.2f} s after the save")
    assert seconds < 2.0
    assert "Muscles hold up and protect" in served.page()


def test_a_page_left_open_from_an_earlier_run_reloads_when_it_reconnects(served):
    events = Events(served, "0badc0de-99")
    try:
        assert events.next_reload().startswith("data: ")
    finally:
        events.close()


def test_a_bad_save_lists_its_errors_over_the_last_good_page(served):
    events = Events(served, served.build_number())
    try:
        _edit(served.root / ARTICLE, "\ntitle:", "\ntitel:")
        events.next_reload()
        page = served.page()
        # The lines `publisher validate` prints for the same file, in the same order.
        validate = run_cli("validate", "--content", "content", cwd=served.root)
        assert validate.exit_code == 1
        expected = validate.stderr.strip().splitlines()
        line = next(n for n, text in enumerate((served.root / ARTICLE).read_text().splitlines(), 1)
                    if text.startswith("titel:"))
        assert f"{ARTICLE}:{line}:1: titel: unknown field 'titel' — did you mean 'title'?" in expected
        assert expected[-1] == "Aborted: 2 errors in 1 file."
        problems = page[page.index('<section id="publisher-preview-problems"'):page.index("</section>")]
        assert [html.unescape(li) for li in re.findall(r"<li>(.*)</li>", problems)] == expected[:-1]
        assert f"<p><strong>{expected[-1]}</strong></p>" in problems
        assert "&#39;titel&#39;" in problems  # escaped, as any text from a file is
        # The last good build is still served below the list.
        assert "Muscles hold up and protect" in page and page.index("</section>") < page.index("Muscles hold up")
        assert "__publisher" not in (served.root / "output" / PAGE.strip("/") / "index.html").read_text()

        _edit(served.root / ARTICLE, "\ntitel:", "\ntitle:")
        events.next_reload()
        assert "publisher-preview-problems" not in served.page()
    finally:
        events.close()


@pytest.fixture(scope="module")
def links_out(served):
    """Symbolic links in the output folder to a file and a folder outside it."""
    site = served.root / "output" / "site"
    secret = served.root / "secret.txt"
    secret.write_text("not for the browser")
    links = [site / "leak.txt", site / "up"]
    os.symlink(secret, links[0])
    os.symlink(served.root, links[1])
    yield
    for link in links:
        link.unlink()


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/site/../../secret.txt", "/%2e%2e/secret.txt", "/site/%2E%2E/%2e%2e/secret.txt",
    "/..%2f..%2fsecret.txt", "/site/leak.txt", "/site/up/secret.txt", "/.publisher-state.json", "/manifest.json/..",
])
def test_nothing_outside_the_output_folder_is_served(served, links_out, path):
    status, _, body = served.get(path)
    assert status == 404
    assert b"not for the browser" not in body and b"root:" not in body


def test_a_request_for_another_host_name_is_refused(served):
    """DNS rebinding: a web page's script reaching 127.0.0.1 under a name of its own reads nothing."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", PAGE, headers={"Host": f"rebind.example:{served.port}"})
    response = connection.getresponse()
    assert (response.status, response.read()) == (
        403, b"publisher serve answers only http://127.0.0.1 and http://localhost\n")
    connection.close()


def test_only_get_and_head_are_answered(served):
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = served.get(PAGE, method)
        assert (status, headers["allow"]) == (405, "GET, HEAD")


def test_ctrl_c_leaves_no_process_and_no_temporary_file(served):
    """Ctrl-C as a save starts a build: the build stops, its process ends, nothing is left."""
    events = Events(served, served.build_number())
    events.close()
    children = descendants(served.proc.pid)
    assert any("publisher.preview.builder" in command for command in children.values())
    _edit(served.root / ARTICLE, "your bones, joints", "your bones and joints")
    served.wait_for(r"^changed: ")
    assert served.stop() == 0
    served.wait_for(r"^Stopped\.$")
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()
                and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"]
    assert not [p for p in served.root.rglob("*.tmp")]
    assert not any("Traceback" in line for line in served.seen)


def test_another_host_is_warned_about_and_sigterm_stops_the_first_build(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    server = Served(tmp_path, *SELECTION, "--host", "0.0.0.0", "--port", "0")
    try:
        server.wait_for(r"^warning: --host 0\.0\.0\.0 lets other machines on the network read the preview,"
                        r" drafts included; leave --host out to serve this machine only \(127\.0\.0\.1\)$")
        server.wait_for(r"^Serving output at http://0\.0\.0\.0:\d+/")
        deadline = time.monotonic() + 30
        while not any("publisher.preview.builder" in c for c in descendants(server.proc.pid).values()):
            assert time.monotonic() < deadline, "no builder started"
            time.sleep(0.05)
        children = set(descendants(server.proc.pid))
    finally:
        code = server.stop(signal.SIGTERM)
    assert code == 0
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_port_in_use_is_refused_before_building(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = Served(tmp_path, *SELECTION, "--port", str(port))
        assert server.proc.wait(60) == 2
        server.stop()
    server.wait_for(rf"^error: cannot listen on 127\.0\.0\.1:{port}: Address already in use — choose another"
                    r" --port or --host$")
    assert not (tmp_path / "output").exists()


def test_an_unknown_language_is_a_usage_error(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    server = Served(tmp_path, "--format", "web", "--lang", "en", "xx", "--port", "0")
    assert server.proc.wait(60) == 2
    server.stop()
    server.wait_for(r"^Error: --lang: unknown 'xx'; choose from ar, ar-XB, de, en, en-XA, es, fr, zh-Hans$")
    assert not any("Traceback" in line or "Usage:" in line for line in server.seen)
