"""Build files and run one output gate on them, without the checks runner.

`thresholds` reads a gate's documented defaults for one language the way the
runner resolves them (`all:`, then the language's own keys, which win);
`subject` makes the OutputSubject a build would hand the gate.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from publisher.checks.gate import OutputSubject, gates
from tests.conftest import ROOT, SEED, run_cli

THRESHOLDS = ROOT / "publisher" / "checks" / "thresholds"


def thresholds(gate_id: str, lang: str) -> dict:
    data = yaml.safe_load((THRESHOLDS / f"{gate_id}.yaml").read_text(encoding="utf-8"))
    return {**(data.get("all") or {}), **(data.get(lang) or {})}


def build(content: Path, output: Path, *args: str) -> None:
    """Render the files as `publisher build` would, without its gates: a planted defect must reach
    the file for a gate to be tried on it (`publisher build` itself refuses to write such a file)."""
    from publisher.build.plan import Selection, plan
    from publisher.content import load_project
    from publisher.targets import RenderJob, targets

    options = {"--templates": [], "--lang": [], "--format": [], "--article": [], "--clinic": ["default"]}
    key = None
    for arg in args:
        if arg in options:
            key = arg
            if arg == "--clinic":
                options[arg] = []
        else:
            options[key].append(arg)
    templates = Path(options["--templates"][0]) if options["--templates"] else ROOT / "templates"
    selection = Selection(tuple(options["--article"]), tuple(options["--lang"]), tuple(options["--format"]),
                          tuple(options["--clinic"]))
    for task, job in plan(load_project(content), selection, templates).jobs:
        if isinstance(job, RenderJob):
            target = output / task.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(targets()[task.format].render(job).data)


def refused(content: Path, output: Path, *args: str) -> list[str]:
    """What `publisher build` says when a gate refuses the files: its error lines, output/ untouched."""
    result = run_cli("build", "--content", str(content), "--output", str(output), "--clinic", "default", *args)
    assert result.exit_code == 1, result.output
    assert not output.exists() or not any(output.rglob("*.pdf")), "a refused build wrote files"
    return [line for line in result.stderr.splitlines() if "[" in line and "] " in line and not line.startswith("[")]


def subject(output: Path, lang: str, name: str, clinic: str = "default", article: str = SEED,
            **facts) -> OutputSubject:
    """The built file `name` ("handout-a4.pdf", "deck-16x9.pptx") as an output gate sees it."""
    relative = f"{article}/{lang}/{clinic}/{name}"
    stem = name.rsplit(".", 1)[0]
    fmt, variant = stem.split("-", 1)
    return OutputSubject(relative, fmt, variant, lang, article, clinic, (output / relative).read_bytes(),
                         f"content/articles/{article}/article.yaml", facts)


def findings(gate_id: str, subj: OutputSubject) -> list[str]:
    gate = gates()[gate_id]
    assert gate.applies_to(subj), f"{gate_id} does not read {subj.format}"
    return [str(f) for f in gate.check(subj, thresholds(gate_id, subj.lang))]


def template_copy(tmp: Path) -> Path:
    folder = tmp / "templates"
    shutil.copytree(ROOT / "templates", folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def printed(content: Path, lang: str, clinic: str = "default", article: str = SEED,
            templates: Path = ROOT / "templates") -> tuple:
    """What a file prints, as TextAt (the localized article with its labels, then the clinic's):
    the `texts` fact a build hands the gates that compare the file with its text."""
    from publisher.content import load_project
    from publisher.i18n import clinic_texts, localize
    from publisher.i18n.labels import load_labels

    project = load_project(content)
    localized = localize(project.articles[article], lang, load_labels(templates))
    return tuple(localized.texts) + tuple(clinic_texts(project.clinics[clinic]))


def written_in(content: Path, clinic: str = "default") -> tuple:
    """The `written_in` fact a build hands the gates: the clinic's name and address lines, each
    with the language they are written in (a translated deck tags them so)."""
    from publisher.content import load_project

    profile = load_project(content).clinics[clinic].clinic
    return tuple((text, profile.lang) for text in (profile.name, *profile.address))
