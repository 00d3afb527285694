"""The benchmark's bookkeeping (bench/run.py): which row a file's cost lands in, how many files a
one-sentence edit must rebuild, and the web page's verdict. Nothing is built or timed here."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.append(str(ROOT / "bench"))  # last: bench/markdown.py must not shadow an installed package
run = pytest.importorskip("run")
catalogue = pytest.importorskip("catalogue")


def _file(fmt, variant, seconds=0.01, copies=0, cached=False, lang="en", size=100):
    return {"format": fmt, "variant": variant, "lang": lang, "seconds": seconds, "cpu_seconds": seconds / 2,
            "bytes": size, "copies": copies, "cached": cached}


def test_a_formats_own_variants_share_its_row_and_what_else_it_makes_has_its_own():
    assert run.kind_of(_file("handout", "a4")) == "handout"
    assert run.kind_of(_file("web", "page")) == "web"
    assert run.kind_of(_file("web", "thumbnail")) == "web thumbnail"
    assert run.kind_of(_file("web", "gallery")) == "web gallery"
    assert run.kind_of(_file("web", "shared")) == "web shared"


def test_kinds_count_copies_cached_files_and_the_median():
    kinds = run._kinds([_file("handout", "a4", 0.3, copies=1, size=1000), _file("handout", "letter", 0.1, copies=1),
                        _file("handout", "a4", 0.2, cached=True), _file("web", "page", 0.004)])
    assert kinds["handout"]["count"] == 3
    assert kinds["handout"]["median_render_s"] == 0.2
    assert kinds["handout"]["mean_cpu_s"] == 0.1
    assert (kinds["handout"]["copies"], kinds["handout"]["copy_bytes"]) == (2, 1100)
    assert kinds["handout"]["cached"] == 1
    assert set(kinds) == {"handout", "web"}


def test_an_edited_paragraph_rebuilds_the_handouts_their_copies_beside_the_page_its_thumbnail_and_the_page(tmp_path):
    from publisher.content import load_project
    from publisher.targets import targets

    catalogue.make_catalogue(tmp_path / "content", 1)
    clinic = next(iter(load_project(tmp_path / "content").clinics.values()))
    assert run._files_showing_the_edit(targets(), ("handout",), clinic) == 2
    # handout A4 and Letter, a copy of each beside the page, the A4's thumbnail, the page itself
    assert run._files_showing_the_edit(targets(), ("handout", "web"), clinic) == 6


def _web_results(page_amortized: float) -> dict:
    kinds = {"web": {"amortized_s": page_amortized}}
    return {"scaling": [], "comparisons": None, "noop_at_scale": [], "layouts": None,
            "web": {"articles": 4, "clean": {"kinds": kinds}, "web_only": {"wall_per_page_s": 0.5}}}


@pytest.mark.parametrize(("amortized", "met"), [(0.012, "yes"), (0.021, "NO")])
def test_the_web_page_verdict_holds_the_amortized_cost_to_two_hundredths_of_a_second(amortized, met):
    row = next(t for t in run.verdicts(_web_results(amortized)) if t["name"].startswith("web page amortized"))
    assert (row["measured"], row["goal"], row["met"]) == (f"{amortized:.4f}", "≤ 0.02", met)
