"""The suite does not depend on what a clinic adds to content/ (issue 12)."""

import shutil

from tests.conftest import FIXTURES, ROOT, run_cli, shipped_content


def test_a_clinic_and_an_article_added_to_content_change_nothing_the_tests_see(tmp_path):
    # A user's content folder: the shipped one, plus a clinic and an article of their own.
    users = tmp_path / "user-content"
    shutil.copytree(ROOT / "content", users)
    shutil.copytree(FIXTURES / "hydration" / "articles" / "staying-hydrated", users / "articles" / "staying-hydrated")
    for path in (FIXTURES / "hydration" / "clinics").iterdir():
        shutil.copy2(path, users / "clinics" / path.name)
    result = run_cli("validate", "--content", str(users))
    assert result.exit_code == 0 and result.stdout == "OK: 2 articles, 3 clinics.\n", result.output

    # What the suite builds its tests from is still only the shipped content.
    seen = shipped_content(tmp_path / "suite", users)
    result = run_cli("validate", "--content", str(seen))
    assert result.stdout == "OK: 1 articles, 2 clinics.\n", result.output
    assert sorted(p.name for p in (seen / "articles").iterdir()) == ["muscle-mass-loss-and-pain"]
    assert sorted(p.stem for p in (seen / "clinics").glob("*.yaml")) == ["default", "riverside-physio"]
