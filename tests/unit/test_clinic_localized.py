"""Issue 16: a clinic's name and address as readers of another language know them, and
proper names printed as written, tagged with the language they are written in."""

from __future__ import annotations

from jinja2 import DictLoader

from publisher.content import load_project
from publisher.i18n import clinic_texts
from publisher.templating import environment
from tests.conftest import TEMPLATES

CLINIC = "clinics/riverside-physio.yaml"
ARABIC = """\
localized:
  - lang: ar
    name: عيادة ريفرسايد للعلاج الطبيعي
    address:
      - 12 شارع النهر
      - لندن SE1 9XX
"""


def test_a_leaflet_in_a_localized_language_prints_that_name_and_address(project):
    path = project.content / CLINIC
    path.write_text(path.read_text(encoding="utf-8") + ARABIC, encoding="utf-8")
    clinic = load_project(project.content).clinics["riverside-physio"]
    arabic = clinic.for_language("ar")
    assert (arabic.clinic.name, arabic.clinic.address, arabic.clinic.lang) == (
        "عيادة ريفرسايد للعلاج الطبيعي", ["12 شارع النهر", "لندن SE1 9XX"], "ar")
    assert arabic.clinic.localized == []  # the other languages' entries are no part of an Arabic file
    german = clinic.for_language("de")
    assert (german.clinic.name, german.clinic.lang, german.entry) == ("Riverside Physiotherapy", "en", None)
    # A glyph or fit error names the line the localized text is written on.
    line = path.read_text(encoding="utf-8").splitlines().index("    name: عيادة ريفرسايد للعلاج الطبيعي") + 1
    named = {t.field: (t.line, t.text) for t in clinic_texts(arabic)}
    assert named["localized[0].name"] == (line, "عيادة ريفرسايد للعلاج الطبيعي")
    assert named["localized[0].address[1]"] == (line + 3, "لندن SE1 9XX")


def test_localized_entries_are_checked_where_they_are_written(project):
    path = project.content / CLINIC
    path.write_text(path.read_text(encoding="utf-8") + ARABIC + """\
  - lang: ar
    name: x
    address: [y]
  - lang: es
    name: Riverside
    address: []
""", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    first, second = (i + 1 for i, line in enumerate(lines) if line == "  - lang: ar")
    # The schema's check first (an empty address), then, once that is fixed, the one across entries.
    assert project.refused_by_both() == [
        f"content/{CLINIC}:{len(lines)}:14: localized[2].address: must not be empty — add at least one item",
        "Aborted: 1 error in 1 file."]
    path.write_text(path.read_text(encoding="utf-8").replace("address: []", "address: [Calle 1]"), encoding="utf-8")
    assert project.refused_by_both() == [
        f"content/{CLINIC}:{second}:11: localized[1].lang: a second entry for 'ar' (the first is on line"
        f" {first}) — keep one entry per language",
        "Aborted: 1 error in 1 file."]


def test_the_language_of_the_name_itself_cannot_be_localized(project):
    path = project.content / CLINIC
    path.write_text(path.read_text(encoding="utf-8") + "localized:\n  - lang: en\n    name: R\n    address: [a]\n",
                    encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines()) - 2
    assert project.refused_by_both() == [
        f"content/{CLINIC}:{line}:11: localized[0].lang: 'en' is the language `name` and `address` are written in"
        " — edit `name` and `address` instead, or set `lang` to the language they are in",
        "Aborted: 1 error in 1 file."]


def test_a_name_in_another_language_than_the_file_is_tagged_with_its_own():
    env = environment(TEMPLATES).overlay(loader=DictLoader({"t.html.j2": "{{ name | written_in(lang) }}"}))
    template = env.get_template("t.html.j2")
    loc = type("Loc", (), {"lang": "de"})()
    assert template.render(loc=loc, name="Riverside <Physio>", lang="en") == (
        '<span lang="en">Riverside &lt;Physio&gt;</span>')
    assert template.render(loc=loc, name="Praxis", lang="de") == "Praxis"
