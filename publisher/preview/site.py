"""The preview's web server: the output folder, read-only, to one browser on this machine.

It serves files inside the output folder and nothing else: a path is decoded
once, refused if any segment is `..`, `.`, hidden (`.publisher-state.json`,
a build's `.NAME.tmp`) or holds a NUL or backslash, and what it names must
still lie inside the folder once symbolic links are followed. GET and HEAD
only. A folder serves its `index.html`, or a list of what it holds.

The built pages run no script, and their Content-Security-Policy (a <meta>
tag) says so. The HTML this server sends, and only that, gets a
`<script src>` from this server (so the policy changes from `script-src
'none'` to `'self'` in that response, and nothing else), the problems of
a failed build above the last good page, and the same policy as a header.
The files on disk are never changed.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

PREFIX = "/__publisher/"
EVENTS = PREFIX + "events"
STATIC = ("reload.js", "preview.css")
KEEP_ALIVE_SECONDS = 15.0  # a comment on the event stream, so a closed tab's connection is noticed
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json",
         ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".pdf": "application/pdf",
         ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         ".txt": "text/plain; charset=utf-8"}
_CSP_META = re.compile(r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*/?>', re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_NEEDS_SELF = ("script-src", "style-src", "connect-src")  # the reload script, the problems' style, the events


@dataclass
class Status:
    """What the open pages need to know: which build they show, and what the last one found wrong."""

    generation: int = 0  # raised whenever the pages should reload
    # A page from an earlier run of the server (the browser kept the tab) reloads at once.
    session: str = field(default_factory=lambda: secrets.token_hex(4))
    problems: list[str] = field(default_factory=list)
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, problems: list[str]) -> None:
        with self.changed:
            self.problems = list(problems)
            self.generation += 1
            self.changed.notify_all()

    @property
    def build(self) -> str:
        """What a page names as the build it shows, for the event stream's `since`."""
        return f"{self.session}-{self.generation}"

    def since(self, build: str) -> int:
        """The generation a page shows; -1 for a page from another run of the server."""
        session, _, generation = build.rpartition("-")
        return int(generation) if session == self.session and generation.isdigit() else -1

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


_pages = Environment(loader=PackageLoader("publisher.preview", "static"),
                     autoescape=select_autoescape(default=True, default_for_string=True))


def preview_policy(policy: str) -> str:
    """The page's Content-Security-Policy, letting this server's own script, style and events in."""
    directives = [d.strip().split() for d in policy.split(";") if d.strip()]
    default = next((d[1:] for d in directives if d[0].lower() == "default-src"), None)
    for name in _NEEDS_SELF:
        found = next((d for d in directives if d[0].lower() == name), None)
        if found is not None:
            found[1:] = [s for s in found[1:] if s != "'none'"]
            if "'self'" not in found:
                found.append("'self'")
        elif default is not None and "'self'" not in default:  # no default-src: nothing to open
            directives.append([name, "'self'"])
    return "; ".join(" ".join(d) for d in directives)


def inject(page: str, build: str, problems: list[str]) -> tuple[str, str | None]:
    """The page as the preview sends it, and its policy for the response header (None: it has none)."""
    policy = None
    match = _CSP_META.search(page)
    if match:
        policy = preview_policy(html.unescape(match.group(1)))
        attribute = html.escape(policy, quote=False).replace('"', "&quot;")  # keeps the policy's ' readable
        page = (page[:match.start()] + f'<meta http-equiv="Content-Security-Policy" content="{attribute}">'
                + page[match.end():])
    tags = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
            f'<script src="{PREFIX}reload.js" data-build="{build}" defer></script>\n')
    head_end = _HEAD_END.search(page)
    page = page[:head_end.start()] + tags + page[head_end.start():] if head_end else tags + page
    if problems:
        # The command's closing line ("Aborted: 2 errors in 1 file.") heads the list of the lines above it.
        closing = problems[-1] if problems[-1].startswith(("Aborted:", "Failed:")) else None
        block = _pages.get_template("problems.html.j2").render(problems=problems[:-1] if closing else problems,
                                                               closing=closing)
        body = _BODY_START.search(page)
        at = body.end() if body else 0
        page = page[:at] + "\n" + block + page[at:]
    return page, policy


def resolve(root: Path, url_path: str) -> Path | None:
    """The file or folder a request names inside `root` (resolved), or None if it names none there."""
    path = unquote(url_path, errors="strict") if "%" in url_path else url_path
    if "\0" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):  # `..`, `.`, and the build's own hidden files
        return None
    target = Path(os.path.realpath(root.joinpath(*parts)))
    if target != root and root not in target.parents:
        return None  # a symbolic link leading out
    return target if target.exists() else None


LOCAL_NAMES = {"127.0.0.1", "localhost", "[::1]"}


def local_host(header: str | None) -> bool:
    """Whether a request's Host names this machine. A page elsewhere on the web can point a name of
    its own at 127.0.0.1 (DNS rebinding) and read what its script fetches there; its requests still
    carry that name."""
    if not header:
        return False
    name = header.strip().lower()
    name = name.rsplit(":", 1)[0] if not name.endswith("]") else name
    return name in LOCAL_NAMES or name.startswith("127.") and name.replace(".", "").isdigit()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an event stream still open when the server stops does not hold it

    def __init__(self, address, output: Path, status: Status, local_only: bool = True):
        self.root = Path(os.path.realpath(output))
        self.status = status
        self.local_only = local_only  # served to this machine alone: answer only requests naming it
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    def version_string(self) -> str:
        return "publisher-serve"

    def log_message(self, format, *args) -> None:  # noqa: A002  (the editor watches the page, not a log)
        pass

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def _answer(self, body: bool) -> None:
        url = urlsplit(self.path)
        try:
            if self.server.local_only and not local_host(self.headers.get("Host")):
                return self._send(403, b"publisher serve answers only http://127.0.0.1 and http://localhost\n"
                                  if body else b"", TYPES[".txt"])
            if url.path == EVENTS:
                return self._events(url.query) if body else self._send(200, b"", "text/event-stream")
            if url.path.startswith(PREFIX):
                return self._static(url.path.removeprefix(PREFIX), body)
            try:
                target = resolve(self.server.root, url.path)
            except UnicodeDecodeError:
                target = None
            if target is None:
                return self._page(404, "Not found", None, body)
            if target.is_dir():
                if not url.path.endswith("/"):
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                index = target / "index.html"
                if not index.is_file():
                    entries = sorted(f"{e.name}/" if e.is_dir() else e.name
                                     for e in target.iterdir() if not e.name.startswith("."))
                    return self._page(200, url.path, entries, body, parent=target != self.server.root)
                target = index
            self._file(target, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _file(self, path: Path, body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # replaced between the look and the read: the browser asks again on the next reload
            return self._page(404, "Not found", None, body)
        kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {}
        if path.suffix.lower() == ".html":
            status = self.server.status
            page, policy = inject(data.decode("utf-8", "replace"), status.build, status.problems)
            data = page.encode("utf-8")
            if policy:
                headers["Content-Security-Policy"] = policy
        self._send(200, data if body else b"", kind, length=len(data), headers=headers)

    def _page(self, code: int, title: str, entries, body: bool, parent: bool = False) -> None:
        page = _pages.get_template("page.html.j2").render(title=title, entries=entries, parent=parent)
        status = self.server.status
        page, _ = inject(page, status.build, status.problems)
        data = page.encode("utf-8")
        self._send(code, data if body else b"", TYPES[".html"], length=len(data),
                   headers={"Content-Security-Policy": "default-src 'self'"})

    def _static(self, name: str, body: bool) -> None:
        if name not in STATIC:
            return self._page(404, "Not found", None, body)
        data = resources.files("publisher.preview").joinpath("static", name).read_bytes()
        self._send(200, data if body else b"", TYPES[Path(name).suffix], length=len(data))

    def _send(self, code: int, data: bytes, kind: str, length: int | None = None, headers=None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.send_header("Cache-Control", "no-store")  # a preview is always the latest build
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _events(self, query: str) -> None:
        """Server-Sent Events: `reload` once the output or its problems changed after build `since`."""
        status = self.server.status
        since = status.since(parse_qs(query).get("since", [""])[0])
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        self.wfile.flush()
        while True:
            with status.changed:
                status.changed.wait_for(lambda: status.generation > since or status.stopping,
                                        KEEP_ALIVE_SECONDS)
                generation, stopping = status.generation, status.stopping
            if stopping:
                return
            if generation > since:
                since = generation
                self.wfile.write(f"event: reload\ndata: {json.dumps({'build': generation})}\n\n".encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()
