"""In-process measurements that `bench/run.py` runs, each in a fresh subprocess.

    python bench/harness.py build CONTENT OUTPUT JOBS [FORMAT...] [--cache DIR]
        What `publisher build` does (load, plan, render, write), through the
        same functions as the CLI, collecting every file's render time (wall
        and CPU), kind, variant, bytes, copies and worker, each worker's peak
        RSS and the parent's own; with `--cache`, through the render cache
        that `publisher build --cache DIR` uses.

    python bench/harness.py validate CONTENT
        `publisher validate` called twice in this process: the first call pays
        for loading the content gates' language data (hyphenation, word
        frequencies, pronunciations), the second finds it loaded.

    python bench/harness.py seed CONTENT OUTPUT [FORMAT...]
        Publisher's own build with every render replaced by a stub returning
        a few bytes: the manifest, the state file and one file per target are
        written exactly as a real build writes them, in seconds. A no-op
        rebuild then has the same work to do as after a real build (it
        compares fingerprints, sizes and modification times, never bytes).

    python bench/harness.py modules PUBLISHER-BUILD-ARGS...
        `publisher build ARGS` in this process, then which heavy modules it
        imported (a no-op build must not import the renderers).

    python bench/harness.py mix CONTENT REPEATS
        Every handout of a catalogue rendered warm, ours and WeasyPrint's raw
        render of the HTML our template kept for it, file by file.

    python bench/harness.py compare CONTENT WORKDIR REPEATS
        The seed article's English A4 handout and deck rendered warm, several
        times: ours (the build's own render function) and WeasyPrint's raw
        render of the exact HTML our handout template produced; Typst
        compiling bench/typst/handout.typ in-process.

Each prints one JSON object on standard output.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from timing import repeat

HERE = Path(__file__).resolve().parent
HEAVY = ("weasyprint", "pptx", "pydyf", "tinycss2", "tinyhtml5", "cffi", "lxml", "PIL", "segno", "resvg_py",
         "fontTools.subset")


def _self_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Collector:
    """A progress object for `build()` that keeps every outcome's facts."""

    def __init__(self) -> None:
        self.files: list[dict] = []

    def start(self, total: int) -> None:
        pass

    def done(self, outcome) -> None:
        task = outcome.task
        self.files.append({"path": task.path, "format": task.format, "variant": task.variant, "lang": task.lang,
                           "seconds": outcome.seconds, "cpu_seconds": outcome.cpu_seconds,
                           "bytes": len(outcome.data or b""), "pages": outcome.pages,
                           # the same bytes written again at other paths (a site's downloads), by the parent
                           "copies": len(task.copies), "cached": outcome.cached,
                           "worker": outcome.worker, "peak_rss_kb": outcome.peak_rss_kb,
                           "failed": bool(outcome.problems), "layouts": outcome.layouts})

    def close(self) -> None:
        pass


def build(content: Path, output: Path, jobs: int, formats: list[str], cache: Path | None = None) -> dict:
    started = time.perf_counter()
    from publisher.build import Selection, build as run_build
    from publisher.build.render_cache import RenderCache
    from publisher.cli import DEFAULT_TEMPLATES
    from publisher.content import load_project

    imported = time.perf_counter()
    inputs = _inputs(content, output, formats)
    project = load_project(content)
    loaded = time.perf_counter()
    collector = Collector()
    report = run_build(project, Selection(formats=tuple(formats)), DEFAULT_TEMPLATES, output, jobs=jobs,
                       progress=collector, inputs=inputs, cache=RenderCache(cache) if cache else None)
    workers: dict[int, int] = {}
    for f in collector.files:
        workers[f["worker"]] = max(workers.get(f["worker"], 0), f["peak_rss_kb"])
    return {"summary": report.summary(), "import_seconds": round(imported - started, 3),
            "load_seconds": round(loaded - imported, 3), "files": collector.files,
            "worker_peak_rss_mb": sorted(round(kb / 1024, 1) for kb in workers.values()),
            "parent_peak_rss_mb": _self_rss_mb(), "cached": len(report.cached),
            "failures": [str(p) for p in report.failed]}


def _inputs(content: Path, output: Path, formats: list[str]):
    """What `publisher build` records so that its next identical run knows at once that nothing changed."""
    from publisher.build import uptodate
    from publisher.cli import DEFAULT_TEMPLATES

    from publisher.targets import targets

    every = set(formats) == set(targets())  # the CLI is then called without --format
    return uptodate.read_inputs(content, DEFAULT_TEMPLATES, output, uptodate.request(formats=() if every else formats))


def seed(content: Path, output: Path, formats: list[str]) -> dict:
    from publisher.build import Selection, build as run_build
    from publisher.cli import DEFAULT_TEMPLATES
    from publisher.content import load_project

    # `publisher.build.execute` the attribute is the function; the module is here:
    execute = sys.modules["publisher.build.execute"]

    def stub(task, job, checks=None):
        return execute.Outcome(task, data=f"stub {task.path}\n".encode(), pages=1)

    execute.render_one = stub
    started = time.perf_counter()
    inputs = _inputs(content, output, formats)
    report = run_build(load_project(content), Selection(formats=tuple(formats)), DEFAULT_TEMPLATES, output, jobs=1,
                       inputs=inputs)
    return {**report.summary(), "seconds": round(time.perf_counter() - started, 3)}


def modules(args: list[str]) -> dict:
    import contextlib
    import io

    from publisher.cli import main

    code = 0
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(["build", *args], standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - a failed build
            code = exc.code or 0
    return {"exit": code, "imported": sorted(m for m in HEAVY if m in sys.modules)}


def validate(content: Path) -> dict:
    """`publisher validate` twice in one process: what the first call pays that the second does not."""
    import contextlib
    import io

    started = time.perf_counter()
    from publisher.cli import main

    calls = [round(time.perf_counter() - started, 3)]
    before = _self_rss_mb()
    for _ in range(2):
        started = time.perf_counter()
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                main(["validate", "--content", str(content)], standalone_mode=False)
            except SystemExit as exc:
                if exc.code:
                    raise RuntimeError(f"validate failed:\n{out.getvalue()[-3000:]}") from None
        calls.append(round(time.perf_counter() - started, 3))
    return {"import_s": calls[0], "first_s": calls[1], "second_s": calls[2], "rss_before_mb": before,
            "rss_after_mb": _self_rss_mb()}


def kept_html(job) -> tuple[str, str, int]:
    """The exact HTML our handout template produced for `job`: the first density whose
    layout keeps the page budget, as publisher/targets/handout.py chooses it; with
    that density and the number of densities tried."""
    import yaml

    from publisher.targets._html import page_context, render_html
    from publisher.targets._weasy import lay_out

    templates = job.templates_dir
    layout = yaml.safe_load((templates / "handout" / "layout.yaml").read_text(encoding="utf-8"))
    context = page_context(job)
    tried = 0
    for density in layout["densities"]:
        html = render_html(job, "handout/handout.html.j2", {**context, "density": density})
        tried += 1
        if len(lay_out(html, templates, "handout").pages) <= layout["max_pages"]:
            break
    return html, density, tried


def mix(content: Path, repeats: int) -> dict:
    """Every handout of a catalogue (the benchmark passes its two-article one: a seed
    copy in six languages and a hydration copy, the full builds' mix), each rendered
    warm our way and by raw WeasyPrint from the HTML our template kept for it: the
    renderer's own cost of the very files a build makes, language by language."""
    import weasyprint

    from publisher.build.plan import Selection, plan
    from publisher.build.execute import render_one
    from publisher.cli import DEFAULT_TEMPLATES
    from publisher.content import load_project

    rows = []
    for task, job in plan(load_project(content), Selection(formats=("handout",)), DEFAULT_TEMPLATES).jobs:
        render_one(task, job)  # warm: this language's fonts
        ours = repeat(lambda: render_one(task, job), repeats)
        html, density, tried = kept_html(job)
        base = job.templates_dir.resolve().as_uri() + "/"
        raw = lambda **options: weasyprint.HTML(string=html, base_url=base).write_pdf(**options)  # noqa: E731
        raw()
        rows.append({"article": task.article, "lang": task.lang, "variant": task.variant, "density": density,
                     "layouts": tried, "ours": ours, "raw": repeat(raw, repeats),
                     # the same file as ours: tagged PDF/UA-1, as targets/_weasy.py writes it
                     "raw_pdfua": repeat(lambda: raw(pdf_variant="pdf/ua-1", pdf_identifier=True), repeats)})

    def mean(key):
        return round(sum(r[key]["median"] for r in rows) / len(rows), 4)

    return {"files": rows, "ours_mean_s": mean("ours"), "raw_mean_s": mean("raw"), "raw_pdfua_mean_s": mean("raw_pdfua")}


def compare(content: Path, workdir: Path, repeats: int) -> dict:
    from publisher.build.plan import Selection, plan
    from publisher.build.execute import render_one
    from publisher.cli import DEFAULT_TEMPLATES
    from publisher.content import load_project

    project = load_project(content)
    article = next(iter(project.articles))
    jobs = {(t.format, t.variant): (t, j)
            for t, j in plan(project, Selection((article,), ("en",), ("handout", "deck")), DEFAULT_TEMPLATES).jobs}
    handout, deck = jobs[("handout", "a4")], jobs[("deck", "16x9")]
    result: dict = {"article": article}

    started = time.perf_counter()
    first = render_one(*handout)
    result["ours_handout_first_call_s"] = round(time.perf_counter() - started, 3)  # imports WeasyPrint
    started = time.perf_counter()
    render_one(*deck)
    result["ours_deck_first_call_s"] = round(time.perf_counter() - started, 3)  # imports python-pptx
    result["ours_handout_pages"], result["ours_handout_bytes"] = first.pages, len(first.data)
    result["ours_handout_warm"] = repeat(lambda: render_one(*handout), repeats)
    result["ours_deck_warm"] = repeat(lambda: render_one(*deck), repeats)

    task, job = handout
    templates = job.templates_dir
    html, density, tried = kept_html(job)
    (workdir / "handout.html").write_text(html, encoding="utf-8")
    result["handout_density"], result["handout_layouts_tried"] = density, tried

    import weasyprint

    base = templates.resolve().as_uri() + "/"
    raw = lambda **kw: weasyprint.HTML(string=html, base_url=base).write_pdf(**kw)  # noqa: E731
    raw()  # warm: fonts loaded once per process, as in a build's worker
    result["raw_weasyprint"] = repeat(raw, repeats)
    result["raw_weasyprint_pdfua"] = repeat(lambda: raw(pdf_variant="pdf/ua-1", pdf_identifier=True), repeats)
    result["raw_weasyprint_layout_only"] = repeat(
        lambda: weasyprint.HTML(string=html, base_url=base).render(), repeats)
    result["raw_weasyprint_bytes"] = len(raw())

    try:
        import typst
    except ImportError:
        result["typst_in_process"] = None
    else:
        source = HERE / "typst" / "handout.typ"
        fonts = [str(templates / "fonts")]
        compile_ = lambda: typst.compile(str(source), font_paths=fonts, ignore_system_fonts=True)  # noqa: E731
        data = compile_()
        result["typst_in_process"] = repeat(compile_, repeats)
        result["typst_bytes"] = len(data)
    return result


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "build":
        cache = None
        if "--cache" in rest:
            at = rest.index("--cache")
            cache, rest = Path(rest[at + 1]), rest[:at] + rest[at + 2:]
        result = build(Path(rest[0]), Path(rest[1]), int(rest[2]), rest[3:], cache)
    elif command == "validate":
        result = validate(Path(rest[0]))
    elif command == "seed":
        result = seed(Path(rest[0]), Path(rest[1]), rest[2:])
    elif command == "modules":
        result = modules(rest)
    elif command == "compare":
        result = compare(Path(rest[0]), Path(rest[1]), int(rest[2]))
    elif command == "mix":
        result = mix(Path(rest[0]), int(rest[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
