from publisher.content import load_project
from publisher.content.units import fingerprint, units_of
from publisher.i18n.pseudo import pseudo_text
from publisher.templating import FSI, PDI, bidi_fill
from tests.conftest import CONTENT, SEED


def test_unit_ids_are_stable_and_cover_only_translatable_text():
    units = units_of(load_project(CONTENT).articles[SEED].article)
    assert list(units)[:4] == ["title", "poster_headline", "question", "km-contributes.text"]
    assert "cause-joint-pain.heading" in units and "metadata.disclaimer" in units
    # what a reader is told about the leaflet is translated (issue 16); the source's
    # author's name and the citations are printed as written
    assert {"metadata.author", "metadata.organisation", "metadata.source.title"} <= set(units)
    assert not any(uid.startswith(("metadata.source.author", "metadata.references")) for uid in units)
    assert units["title"].path == ("title",)
    assert units["cause-posture.text"].path == ("sections", 1, "blocks", 1, "items", 1, "text")


def test_fingerprint_ignores_unicode_normal_form():
    assert fingerprint("café") == fingerprint("cafe\u0301") and len(fingerprint("x")) == 16


def test_pseudo_locales_keep_placeholders():
    assert pseudo_text("Page {page} of {pages}", "en-XA") == "[Þåĝé {page} öƒ {pages} öñé ţŵö ţĥŕéé]"
    assert len(pseudo_text("a" * 100, "en-XA")) >= 140
    assert pseudo_text("Page {page}", "ar-XB") == "\u202ePage\u202c {page}"


def test_bidi_fill_isolates_values():
    assert bidi_fill("By {author}.", author="liuqiyue") == f"By {FSI}liuqiyue{PDI}."
