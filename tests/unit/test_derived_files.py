"""Files made from another file of the same build (a gallery's picture of a PDF): planned with it,
fingerprinted by it, sharded with it."""

from __future__ import annotations

from publisher.build.plan import Selection, Task, plan
from publisher.build.shard import Shard
from publisher.content import load_project
from publisher.targets import DerivedJob, IndexJob
from tests.conftest import CONTENT, SEED, TEMPLATES


def _task(path: str, source: str = "") -> Task:
    return Task(SEED, "en", "web" if source else "handout", "thumbnail" if source else "a4", "default", path,
                (("content", path),), source=source)


def test_a_file_made_from_another_goes_to_the_shard_that_renders_its_source():
    sources = [(_task(f"a/{n}.pdf"), None) for n in range(7)]
    derived = [(_task(f"site/{n}.png", f"a/{n}.pdf"), None) for n in range(7)]
    shares = [Shard(k, 3).take(derived + sources) for k in (1, 2, 3)]
    assert sorted(len(s) for s in shares) == [4, 4, 6]  # seven sources dealt 3/2/2, each with its picture
    for share in shares:
        paths = {task.path for task, _ in share}
        for task, _ in share:
            assert not task.source or task.source in paths
    assert sorted(t.path for share in shares for t, _ in share) == sorted(t.path for t, _ in sources + derived)


def test_pictures_follow_the_pdf_they_show_and_galleries_need_a_plan_of_every_article_and_language():
    project = load_project(CONTENT)
    whole = plan(project, Selection(clinics=("default",), formats=("handout", "web")), TEMPLATES)
    tasks = {task.path: (task, job) for task, job in whole.jobs}
    picture, job = tasks[f"site/default/en/{SEED}/preview-handout-a4.png"]
    source = tasks[f"{SEED}/en/default/handout-a4.pdf"][0]
    assert isinstance(job, DerivedJob) and job.source == picture.source == source.path
    assert dict(picture.components)["source"] == source.inputs  # what it shows is the PDF
    assert not any(t.path.endswith("preview-poster-a3.png") for t in [t for t, _ in whole.jobs])  # no poster built
    assert isinstance(tasks["site/default/index.html"][1], IndexJob)
    assert "index.html" not in tasks  # the staff's gallery lists every clinic: not made for one
    some = plan(project, Selection(langs=("en",), formats=("web",)), TEMPLATES)
    assert not any(isinstance(job, IndexJob) for _, job in some.jobs)
