"""What a rendering process does around each file."""

from __future__ import annotations

from publisher.build import execute


def test_a_process_freezes_its_heap_once_per_kind_after_a_collection(monkeypatch):
    calls = []
    monkeypatch.setattr(execute, "_settled", set())
    monkeypatch.setattr(execute.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(execute.gc, "freeze", lambda: calls.append("freeze"))
    for kind in ("handout", "handout", "deck", "handout", "deck"):
        execute._settle(kind)
    assert calls == ["collect", "freeze", "collect", "freeze"]
