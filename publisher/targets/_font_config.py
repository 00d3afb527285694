"""One WeasyPrint font configuration per set of font files, kept for the process.

A fresh `FontConfiguration` per layout costs fontconfig's start-up and, for
every @font-face, a read, a WOFF2 decompression and a registration: tens of
milliseconds, paid again by every density a handout tries and every size a
poster tries. A configuration only ever holds the faces of its own key, so
what it matches does not depend on which documents the process rendered
before; the files it makes stay byte-identical to a fresh configuration's.
"""

from __future__ import annotations

import atexit
import gc
import os
from multiprocessing import util
from pathlib import Path

_configs: dict[tuple, object] = {}
_cleanup_pid: int | None = None


def font_config(templates_dir: Path, faces: tuple[tuple[str, int, str], ...]):
    """The shared configuration for these (family, weight, url) faces under `templates_dir`."""
    from weasyprint.text.fonts import FontConfiguration

    key = (str(templates_dir.resolve()), faces)
    if key not in _configs:
        _clean_up_at_exit()
        _configs[key] = FontConfiguration()
    return _configs[key]


def forget() -> None:
    """Drop the configurations; each removes its temporary copy of the font files when collected."""
    _configs.clear()
    gc.collect()  # the last documents may hold one in a reference cycle


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
