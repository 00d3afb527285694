"""What a poster shows at each shortening step, without laying anything out."""

from __future__ import annotations

import pytest

from publisher.content.models import Article
from publisher.targets._poster_plan import Fit, Step, load_fit, plan
from tests.conftest import TEMPLATES

FIT = Fit(summary_items=3, wide_from=22)


def article(*sections: dict) -> Article:
    return Article.model_validate({
        "title": "T", "question": "Q?", "key_messages": [{"id": "km", "text": "K"}],
        "sections": list(sections),
        "metadata": {"author": "A", "source": {"title": "S", "author": "A"}, "organisation": "O",
                     "published": "2026-01-01", "review": "2027-01-01", "version": "1.0", "audience": "Au",
                     "disclaimer": "D"}})


def items(count: int, icons: int = 0) -> list[dict]:
    return [{"id": f"i{n}", "text": f"Item {n}", **({"icon": "heart"} if n < icons else {})} for n in range(count)]


def section(sid: str, *blocks: dict, **extra) -> dict:
    return {"id": sid, "heading": sid.title(), "blocks": list(blocks), **extra}


def lst(bid: str, count: int, style: str = "bulleted", icons: int = 0, **extra) -> dict:
    return {"kind": "list", "id": bid, "style": style, "items": items(count, icons), **extra}


WARNING = {"kind": "callout", "id": "w", "style": "warning", "title": "Call 999 if", "text": "you faint."}
TIP = {"kind": "callout", "id": "t", "style": "tip", "title": "A tip", "text": "Longer tip text."}


def marks(shown: dict) -> list[tuple]:
    return [(t["number"], t["icon"]) for row in shown["rows"] for t in row if not t["more"]]


def test_numbered_lists_show_numbers_and_icons_only_when_every_item_has_one():
    some = plan(article(section("s", lst("a", 3, "numbered", icons=2))), FIT, Step())[0]["blocks"][0]
    every = plan(article(section("s", lst("a", 3, "numbered", icons=3))), FIT, Step())[0]["blocks"][0]
    assert marks(some) == [(1, None), (2, None), (3, None)]
    assert marks(every) == [(1, "heart"), (2, "heart"), (3, "heart")]


def test_bulleted_lists_show_icons_only_when_every_item_has_one():
    some = plan(article(section("s", lst("a", 3, icons=2))), FIT, Step())[0]["blocks"][0]
    every = plan(article(section("s", lst("a", 3, icons=3))), FIT, Step())[0]["blocks"][0]
    assert marks(some) == [(None, None)] * 3
    assert marks(every) == [(None, "heart")] * 3


def test_a_long_list_keeps_its_first_items_and_counts_at_least_two_more():
    shown = plan(article(section("s", lst("a", 7))), FIT, Step(list_limit=6))[0]["blocks"][0]
    assert len(marks(shown)) == 5 and shown["more"] == 2
    assert plan(article(section("s", lst("a", 6))), FIT, Step(list_limit=6))[0]["blocks"][0]["more"] == 0


@pytest.mark.parametrize("where", ["block", "section"])
def test_settings_show_summary_and_omit(where):
    def shown(setting, step=Step(list_limit=4)):
        block = lst("a", 9, **({"poster": setting} if where == "block" else {}))
        sec = section("s", block, **({"poster": setting} if where == "section" else {}))
        return plan(article(sec, section("other", lst("b", 2))), FIT, step)

    assert shown("show")[0]["blocks"][0]["more"] == 0  # never shortened
    assert shown("summary", Step())[0]["blocks"][0]["more"] == 7  # always short: 2 items and 7 more
    assert [s["section"].id for s in shown("omit")] == ["other"]
    assert shown(None)[0]["blocks"][0]["more"] == 6  # unset: as the step says


def test_a_warning_is_never_shortened_or_left_out_while_tips_are():
    last = load_fit(TEMPLATES).steps[-1]
    shown = plan(article(section("s", WARNING, TIP, lst("a", 2))), FIT, last)[0]["blocks"]
    assert [(b["kind"], b["block"].id, b.get("title_only")) for b in shown] == [
        ("callout", "w", False), ("list", "a", None)]
    titles = plan(article(section("s", WARNING, TIP)), FIT, Step(box_titles=True))[0]["blocks"]
    assert [b["title_only"] for b in titles] == [False, True]


def test_the_first_step_shortens_nothing_and_the_last_leaves_no_tip():
    steps = load_fit(TEMPLATES).steps
    assert steps[0] == Step() and steps[-1].omit_boxes and steps[-1].run_in


@pytest.mark.parametrize("setting, where", [("omit", "warning"), ("summary", "warning"), ("omit", "section")])
def test_a_warning_cannot_be_set_to_leave_a_poster(setting, where):
    warning = {**WARNING, "poster": setting} if where == "warning" else WARNING
    sec = section("s", warning, **({"poster": setting} if where == "section" else {}))
    with pytest.raises(ValueError, match="every poster shows a warning in full"):
        article(sec)
