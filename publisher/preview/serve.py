"""`publisher serve`: build, serve, watch, rebuild on save, reload the open pages.

Threads: the main thread waits for Ctrl-C or SIGTERM; one thread serves
HTTP (and a thread per request, as `ThreadingHTTPServer` does); one watches
the folders (watchfiles); one runs the builds, one after another, each
collecting every save made while the previous one ran. Stopping ends them in
that order of need: the watcher, the build under way (its transaction rolls
back, its workers end), then the server, so nothing is left running and no
temporary file is left in the output folder.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click
from watchfiles import DefaultFilter, watch

from publisher.preview.builder import Builder, BuildResult
from publisher.preview.site import PreviewServer, Status

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name that may resolve anywhere


class Stop(Exception):
    """SIGTERM, ended like Ctrl-C."""


def _raise_stop(signum, frame) -> None:
    raise Stop


def serve(content: Path, templates: Path, output: Path, build_args: list[str], host: str, port: int,
          echo: Callable[[str], None] = click.echo) -> int:
    """Run until Ctrl-C or SIGTERM; the exit code (0, or 2 when the command line is wrong)."""
    # Ours, whatever the caller's: a shell starts a background job with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stop)
    builder = Builder(build_args)
    status = Status()
    server = http = watcher = runner = None
    stop_watching = threading.Event()
    try:
        try:
            server = PreviewServer((host, port), output, status, local_only=is_loopback(host))
        except OSError as exc:
            echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc} — choose another --port or --host")
            return 2
        output.mkdir(parents=True, exist_ok=True)
        bound_host, bound_port = server.server_address[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        if not is_loopback(host):
            echo(f"warning: --host {host} lets other machines on the network read the preview, drafts"
                 " included; leave --host out to serve this machine only (127.0.0.1)")
        http = threading.Thread(target=server.serve_forever, name="preview-http", daemon=True)
        http.start()
        echo(f"Serving {output.as_posix()} at http://{shown}:{bound_port}/ (Ctrl-C to stop)")
        # Watching from before the first build: a save made while it runs is built next.
        pending = _Pending()
        watcher = threading.Thread(target=_watch, args=([content, templates], output, pending, stop_watching),
                                   name="preview-watch", daemon=True)
        watcher.start()
        first = builder.build()
        if first is None:
            echo("error: the build process ended unexpectedly (see the lines above)")
            return 1
        _report(first, echo)
        if first.code == 2:
            return 2
        status.publish(first.problems)  # a page opened before the first build reloads now
        runner = threading.Thread(target=_rebuild_loop, args=(builder, pending, status, templates, echo),
                                  name="preview-builds", daemon=True)
        runner.start()
        echo(f"Watching {content.as_posix()} and {templates.as_posix()} for changes")
        while True:
            time.sleep(3600)  # until a signal raises
    except (KeyboardInterrupt, Stop):
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_watching.set()
        builder.stop()
        if runner is not None:
            runner.join(5)
        if watcher is not None:
            watcher.join(5)
        status.stop()
        if http is not None:
            server.shutdown()
        if server is not None:
            server.server_close()
    echo("Stopped.")
    return 0


class _Pending:
    """The saves not yet built: the watcher adds, the build loop takes them all at once."""

    def __init__(self) -> None:
        self._paths: set[str] = set()
        self._ready = threading.Condition()
        self.closed = False

    def add(self, paths: set[str]) -> None:
        with self._ready:
            self._paths |= paths
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self.closed = True
            self._ready.notify()

    def take(self) -> set[str] | None:
        with self._ready:
            self._ready.wait_for(lambda: self._paths or self.closed)
            if self.closed:
                return None
            paths, self._paths = self._paths, set()
            return paths


def _watch(folders: list[Path], output: Path, pending: _Pending, stop: threading.Event) -> None:
    skip = os.path.realpath(output)

    class Sources(DefaultFilter):
        """What a build reads: not the output folder (when it lies inside), nor a build's or an
        editor's temporary files."""

        def __call__(self, change, path: str) -> bool:
            name = os.path.basename(path)
            if path == skip or path.startswith(skip + os.sep) or name.endswith(".tmp"):
                return False
            return super().__call__(change, path)

    try:
        for changes in watch(*folders, watch_filter=Sources(), stop_event=stop, raise_interrupt=False,
                             debounce=400, step=30, rust_timeout=500):
            pending.add({os.path.realpath(path) for _, path in changes})
    finally:
        pending.close()


def _rebuild_loop(builder: Builder, pending: _Pending, status: Status, templates: Path,
                  echo: Callable[[str], None]) -> None:
    templates_root = os.path.realpath(templates) + os.sep
    while (paths := pending.take()) is not None:
        if any(path.startswith(templates_root) for path in paths):
            builder.restart()  # templates are remembered per process: a fresh one reads them again
        # An editor's or a tool's temporary file, made and gone within the save, is not worth naming.
        names = sorted(os.path.relpath(p) for p in paths if os.path.exists(p)) or sorted(map(os.path.relpath, paths))
        echo(f"changed: {', '.join(names[:3])}{f' and {len(names) - 3} more' if len(names) > 3 else ''}")
        result = builder.build()
        if result is None:
            if pending.closed:
                return
            echo("error: the build process ended unexpectedly (see the lines above); the next save tries again")
            status.publish(["the build process ended unexpectedly: see the terminal running `publisher serve`"])
            continue
        _report(result, echo)
        if result.problems != status.problems or result.changed:
            status.publish(result.problems)


def _report(result: BuildResult, echo: Callable[[str], None]) -> None:
    for line in result.stderr.splitlines():
        echo(line)
    summary = result.summary
    if summary:
        echo(f"Built {summary.get('built', 0)}, skipped {summary.get('skipped', 0)},"
             f" removed {summary.get('removed', 0)}, failed {summary.get('failed', 0)} in {result.seconds:.1f} s")


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run `publisher serve`")
