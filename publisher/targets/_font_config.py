"""One WeasyPrint font configuration per set of font files, kept for the process.

A fresh `FontConfiguration` per layout costs fontconfig's start-up and, for
every @font-face, reading the file (decompressing it, were it WOFF), copying
it to a temporary folder and registering it: tens of milliseconds, paid again
by every density a handout tries and every size a poster tries. A
configuration only ever holds the faces of its own key, so what it matches
does not depend on which documents the process rendered before; the files it
makes stay byte-identical to a fresh configuration's. A long-lived process
(a Dask worker) may outlive an edit to a font file, so a configuration is
kept only while its files' size and modification time stay the same. Pango's
font maps are not made for use from two threads at once, and a Dask worker
renders in several threads, so each thread has configurations of its own.

Fontconfig reads, besides the system's configuration, files and caches in
the user's home folder (~/.config/fontconfig, ~/.fonts.conf, ~/.cache) and
whatever FONTCONFIG_FILE or FONTCONFIG_PATH name: one person's font settings
could then change a clinic's handouts. `isolate` turns all of that off
before fontconfig first loads, so the renderer sees the system's
configuration and the project's own @font-face fonts, nothing else.
"""

from __future__ import annotations

import atexit
import gc
import os
import threading
from multiprocessing import util
from pathlib import Path

_USER_SETTINGS = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")
_FONTCONFIG = ("libfontconfig.so.1", "libfontconfig.1.dylib")  # as WeasyPrint loads it
_isolated = False
_configs: dict[tuple, tuple[tuple, object]] = {}  # (thread, folder, faces) -> (the files' stamps, configuration)
_cleanup_pid: int | None = None


def isolate() -> None:
    """Before fontconfig loads a configuration: no user's files, caches or environment settings.

    `FcConfigEnableHome(False)` makes fontconfig skip every file and cache its
    configuration names relative to the home folder (`~` and the XDG
    folders); the environment variables that would replace the system's
    configuration are dropped. It holds for every configuration loaded after
    it, in this process and the workers it forks.
    """
    global _isolated
    if _isolated:
        return
    import ctypes

    for name in _USER_SETTINGS:
        os.environ.pop(name, None)
    for file in _FONTCONFIG:
        try:
            library = ctypes.CDLL(file)
        except OSError:
            continue
        library.FcConfigEnableHome.argtypes = [ctypes.c_int]
        library.FcConfigEnableHome(0)
        break
    _isolated = True


def font_config(templates_dir: Path, faces: tuple[tuple[str, int, str], ...]):
    """The shared configuration for these (family, weight, url) faces under `templates_dir`."""
    isolate()
    from weasyprint.text.fonts import FontConfiguration

    root = templates_dir.resolve()
    key = (threading.get_ident(), str(root), faces)
    stamps = tuple(_stamp(root / url) for _, _, url in faces)
    kept = _configs.get(key)
    if kept is None or kept[0] != stamps:
        _clean_up_at_exit()
        kept = _configs[key] = (stamps, FontConfiguration())
    return kept[1]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None  # WeasyPrint reports the missing font; nothing to keep
    return stat.st_size, stat.st_mtime_ns


def forget() -> None:
    """Drop the configurations; each removes its temporary copy of the font files when collected."""
    _configs.clear()
    gc.unfreeze()  # build/execute.py froze what the first renders left; let it all be collected
    gc.collect()  # the last documents may hold one in a reference cycle


_inherited: list = []  # in a forked process: its parent's configurations, never collected here


def _keep_the_parents() -> None:
    # A forked worker starts with its parent's configurations, which name the
    # parent's temporary font folders. It may use them, but must never collect
    # them: their destructors would delete those folders from under the parent
    # (as a worker's `forget` at exit did, breaking the parent's next render).
    _inherited.extend(config for _, config in _configs.values())


os.register_at_fork(after_in_child=_keep_the_parents)


def _clean_up_at_exit() -> None:
    # A configuration keeps decompressed fonts in a temporary folder until it
    # is collected. Pool workers end with os._exit, which skips atexit but runs
    # multiprocessing's finalizers, so register with both, once per process.
    global _cleanup_pid
    if _cleanup_pid == os.getpid():
        return
    _cleanup_pid = os.getpid()
    atexit.register(forget)
    util.Finalize(None, forget, exitpriority=10)
