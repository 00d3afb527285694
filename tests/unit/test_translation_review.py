"""Issue 16, item 5: a clinician's sign-off per article and language (`review:` in the
translation file), printed instead of the draft notice, withdrawn by a source edit."""

from __future__ import annotations

from publisher.content import load_project
from publisher.i18n import localize
from publisher.i18n.labels import load_labels
from tests.conftest import SEED, TEMPLATES

AR_FILE = f"articles/{SEED}/translations/ar.yaml"
ROLE = "أخصائية علاج طبيعي مسجَّلة، تتحدث العربية"
REVIEW = f'lang: ar\nreview:\n  status: approved\n  reviewer_role: "{ROLE}"\n  date: 2026-11-20\n'
OLD = "Loss of muscle mass is also called muscle atrophy."
NEW = "Loss of muscle mass is also known as muscle atrophy."


def _approve(project, review: str = REVIEW) -> None:
    path = project.content / AR_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("lang: ar\n", review, 1), encoding="utf-8")


def _localized(project, lang="ar"):
    loaded = load_project(project.content)
    return localize(loaded.articles[SEED], lang, load_labels(TEMPLATES), loaded.policy_for(SEED, lang))


def test_an_approved_translation_is_printed_as_reviewed_and_not_as_a_draft(project):
    assert _localized(project).unreviewed and _localized(project).reviewed_by is None
    _approve(project)
    loc = _localized(project)
    assert (loc.unreviewed, loc.reviewed_by, loc.approval_withdrawn) == (False, (ROLE, "20 نوفمبر 2026"), False)
    assert _localized(project, "de").unreviewed  # one language's sign-off is its own


def test_a_source_edit_withdraws_the_approval_until_it_is_confirmed(project):
    _approve(project)
    project.edit_article(OLD, NEW)
    loc = _localized(project)
    assert (loc.unreviewed, loc.reviewed_by, loc.approval_withdrawn) == (True, None, True)
    status = project.cli("i18n", "status").stdout.splitlines()
    assert status[1].split()[-2:] == ["mark", "withdrawn"]
    assert f"{SEED} in 'ar': approval by {ROLE} on 2026-11-20 withdrawn: changed or missing since:" \
           " intro-what.text (translate, or `publisher i18n confirm`)" in status
    assert project.cli("i18n", "confirm", "intro-what.text").exit_code == 0
    assert _localized(project).reviewed_by == (ROLE, "20 نوفمبر 2026")
    assert f"{SEED} in 'ar': approved by {ROLE} on 2026-11-20" in project.cli("i18n", "status").stdout.splitlines()
    # confirm kept the review as it was written
    assert REVIEW in (project.content / AR_FILE).read_text(encoding="utf-8")


def test_new_wording_imported_from_a_po_file_is_no_longer_approved(project, tmp_path):
    _approve(project)
    exported = project.cli("i18n", "export", "--lang", "ar", "--output", str(tmp_path))
    assert exported.exit_code == 0, exported.output
    po = tmp_path / "ar.po"
    text = po.read_text(encoding="utf-8")
    old = 'msgstr "يُسمّى فقدان الكتلة العضلية أيضًا ضمور العضلات.'
    assert old in text
    po.write_text(text.replace(old, 'msgstr "يُطلق على فقدان الكتلة العضلية أيضًا اسم ضمور العضلات.'),
                  encoding="utf-8")
    assert project.cli("i18n", "import", str(po)).exit_code == 0
    written = (project.content / AR_FILE).read_text(encoding="utf-8")
    assert REVIEW.replace("approved", "draft") in written
    assert _localized(project).reviewed_by is None


def test_a_review_is_validated_where_it_is_written(project):
    _approve(project, "lang: ar\nreview:\n  status: signed\n  date: 2026-13-01\n")
    assert project.refused_by_both() == [
        f"content/{AR_FILE}:9:3: review.reviewer_role: required field is missing — add `reviewer_role:` here"
        " (see `publisher schema` for what it holds)",
        f"content/{AR_FILE}:9:11: review.status: expected one of 'draft' or 'approved', got 'signed'"
        " — use one of 'draft' or 'approved'",
        f"content/{AR_FILE}:10:9: review.date: expected a date as YYYY-MM-DD, got '2026-13-01'"
        " — write a real calendar date such as 2025-03-31",
        "Aborted: 3 errors in 1 file.",
    ]
