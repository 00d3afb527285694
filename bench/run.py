"""Benchmark publisher: full, parallel, no-op and one-edit builds of a synthetic
catalogue, and the seed article side by side with the tools a user might pick
instead. Prints plain-text tables; writes the same results to
bench/results/latest.json. See bench/README.md for what each column means.

    python bench/run.py                      # the issue's sizes: ~10 min on 2 cores
    python bench/run.py --quick              # a smoke run of a minute or two
    python bench/run.py --sizes 20,50,100 --formats all --jobs 4
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from catalogue import article_ids, edit_heading, edit_one_sentence, make_catalogue, make_seed_content
from timing import repeat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HARNESS = HERE / "harness.py"
RESULTS = HERE / "results" / "latest.json"

def _all_formats() -> tuple[str, ...]:
    from publisher.targets import targets

    return tuple(targets())


ALL_FORMATS = _all_formats()  # every registered target: handout, large-print, deck, poster, web

# Measured on a 2-core machine, for orientation only: ratios matter, not absolutes.
ANCHORS = {"raw_weasyprint": 0.10, "typst_process": 0.11, "pandoc_weasyprint": 0.80, "pandoc_pptx": 0.08,
           "import_weasyprint": 0.6}
TARGETS = {"web_page_s": 0.02, "handout_vs_raw": 1.3, "handout_vs_typst": 1.0, "deck_vs_pandoc": 1.0, "parallel": 1.15,
           "layouts_rebuild": 1.2,
           "noop_seconds": 0.5, "noop_articles": 100, "worker_rss_mb": 400, "linear_tolerance": 0.15}


# ---------------------------------------------------------------- running things

def _publisher_cmd() -> list[str]:
    script = Path(sys.executable).with_name("publisher")
    return [str(script)] if script.exists() else [sys.executable, "-m", "publisher"]


def _run(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds, done


def _harness(*args) -> tuple[float, dict]:
    seconds, done = _run([sys.executable, str(HARNESS), *map(str, args)])
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def _cli_build(content: Path, output: Path, jobs: int, formats: tuple[str, ...]) -> tuple[float, dict]:
    args = ["build", "--content", str(content), "--output", str(output), "--jobs", str(jobs), "--json"]
    for name in formats if set(formats) != set(ALL_FORMATS) else ():
        args += ["--format", name]
    seconds, done = _run(_publisher_cmd() + args, cwd=content.parent)
    return seconds, json.loads(done.stdout)


def _format_args(formats: tuple[str, ...]) -> list[str]:
    return [] if set(formats) == set(ALL_FORMATS) else [a for f in formats for a in ("--format", f)]


def _loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


# ---------------------------------------------------------------- measurements

def kind_of(file: dict) -> str:
    """A file's row in the per-kind tables: its format, or "format variant" for what a format makes
    besides its own variants (a site's shared files, a page's thumbnails, a gallery), whose costs
    have nothing in common with its pages'."""
    from publisher.targets import targets

    target = targets().get(file["format"])
    return file["format"] if target is None or file["variant"] in target.variants else \
        f"{file['format']} {file['variant']}"


def _kinds(files: list[dict]) -> dict[str, dict]:
    by: dict[str, list[dict]] = defaultdict(list)
    for f in files:
        by[kind_of(f)].append(f)
    out = {}
    for kind, fs in sorted(by.items()):
        english = [f for f in fs if f["lang"] == "en"]
        out[kind] = {"count": len(fs), "render_seconds": round(sum(f["seconds"] for f in fs), 3),
                     "mean_render_s": round(sum(f["seconds"] for f in fs) / len(fs), 4),
                     "median_render_s": round(statistics.median(f["seconds"] for f in fs), 4),
                     "mean_cpu_s": round(sum(f.get("cpu_seconds", 0.0) for f in fs) / len(fs), 4),
                     "mean_render_en_s": round(sum(f["seconds"] for f in english) / len(english), 4) if english else None,
                     "mean_bytes": round(sum(f["bytes"] for f in fs) / len(fs)),
                     "min_bytes": min(f["bytes"] for f in fs), "max_bytes": max(f["bytes"] for f in fs),
                     "copies": sum(f.get("copies", 0) for f in fs),
                     "cached": sum(bool(f.get("cached")) for f in fs),
                     "copy_bytes": sum(f.get("copies", 0) * f["bytes"] for f in fs)}
    return out


def _full_build(content: Path, output: Path, jobs: int, formats: tuple[str, ...], cache: Path | None = None) -> dict:
    if output.exists():
        shutil.rmtree(output)
    wall, result = _harness("build", content, output, jobs, *formats, *(("--cache", cache) if cache else ()))
    if result["failures"]:
        raise RuntimeError("the build failed:\n" + "\n".join(result["failures"][:10]))
    files = result.pop("files")
    summary = result["summary"]
    sigma = summary["render_seconds"]
    kinds = _kinds(files)
    # Each kind's share of the core-seconds the whole build took (imports,
    # loading, planning, writing and idle cores included): the amortized cost.
    overhead = wall * jobs / sigma if sigma else 0.0
    for k in kinds.values():
        k["amortized_s"] = round(k["mean_render_s"] * overhead, 4)
        k["amortized_en_s"] = round(k["mean_render_en_s"] * overhead, 4) if k["mean_render_en_s"] else None
    return {"jobs": jobs, "targets": summary["built"], "tasks": len(files), "process_wall_s": round(wall, 3),
            "build_wall_s": summary["wall_seconds"], "render_sum_s": sigma,
            "import_s": result["import_seconds"], "load_s": result["load_seconds"],
            "wall_over_sum_per_core": round(wall / (sigma / jobs), 3) if sigma else None,
            "build_wall_over_sum_per_core": round(summary["wall_seconds"] / (sigma / jobs), 3) if sigma else None,
            "overhead_factor": round(overhead, 3), "kinds": kinds, "cached": result["cached"],
            "worker_peak_rss_mb": result["worker_peak_rss_mb"], "parent_peak_rss_mb": result["parent_peak_rss_mb"]}


def _noop(content: Path, output: Path, jobs: int, formats: tuple[str, ...], expected: int, repeats: int) -> dict:
    walls, inner = [], []
    for _ in range(repeats):
        wall, summary = _cli_build(content, output, jobs, formats)
        if summary["built"] or summary["skipped"] != expected:
            raise RuntimeError(f"the no-op rebuild was not one: {summary}")
        walls.append(wall)
        inner.append(summary["wall_seconds"])
    args = ["--content", str(content), "--output", str(output), "--jobs", str(jobs), "--json", *_format_args(formats)]
    _, modules = _harness("modules", *args)
    # The same no-op without the last build's record (publisher.build.uptodate):
    # every file is loaded, validated and planned, and each output compared.
    full = []
    for _ in range(repeats):
        (output / ".publisher-uptodate.json").unlink(missing_ok=True)
        wall, summary = _cli_build(content, output, jobs, formats)
        if summary["built"]:
            raise RuntimeError(f"the full-check no-op rebuilt files: {summary}")
        full.append(wall)
    return {"targets": expected, "process_wall_s": round(statistics.median(walls), 3),
            "process_wall_min_s": round(min(walls), 3), "build_wall_s": round(statistics.median(inner), 3),
            "full_check_wall_s": round(statistics.median(full), 3),
            "runs": repeats, "heavy_modules_imported": modules["imported"]}


def _edit(content: Path, output: Path, jobs: int, formats: tuple[str, ...], article: str, langs: int,
          per_lang: int) -> dict:
    unit = edit_one_sentence(content, article)
    try:
        wall, summary = _cli_build(content, output, jobs, formats)
    except RuntimeError as exc:  # a failed rebuild is a finding of the benchmark, not the end of it
        return {"article": article, "unit": unit, "rebuilt": 0, "expected": langs * per_lang, "rebuilt_langs": [],
                "other_articles_rebuilt": 0, "process_wall_s": None, "build_wall_s": None, "render_sum_s": None,
                "failed": [line for line in str(exc).splitlines() if "[" in line and "]" in line][:3]
                or str(exc).splitlines()[-1:]}
    # A page of the web edition is under site/<clinic>/…/<article>/…: the article is one of its folders.
    others = [p for p in summary["built_paths"] if article not in p.split("/")]
    return {"article": article, "unit": unit, "rebuilt": summary["built"], "expected": langs * per_lang,
            "rebuilt_langs": sorted({p.split("/")[1] for p in summary["built_paths"] if p.startswith(article + "/")}),
            "other_articles_rebuilt": len(others), "process_wall_s": round(wall, 3),
            "build_wall_s": summary["wall_seconds"], "render_sum_s": summary["render_seconds"]}


def _files_showing_the_edit(all_targets: dict, formats: tuple[str, ...], clinic) -> int:
    """Files per language that show the edited paragraph (posters, say, show no paragraphs), with
    the copies and pictures other formats make of them (a site's downloads, a gallery's thumbnails)."""
    import yaml

    from catalogue import EDIT_UNIT_PATH, SEED

    from publisher.content.models import Article
    from publisher.i18n.labels import load_labels
    from publisher.targets.shown import view

    article = Article.model_validate(yaml.safe_load((SEED / "article.yaml").read_text(encoding="utf-8")))
    node = article.model_dump(mode="json")
    for part in EDIT_UNIT_PATH:
        node = node[part]
    chosen = {name: t for name, t in all_targets.items() if name in formats}
    shown = [name for name, t in chosen.items()
             if json.dumps(node, ensure_ascii=False)[1:-1]
             in json.dumps(view(article, t.not_shown(ROOT / "templates", tuple(load_labels(ROOT / "templates").source))), ensure_ascii=False)]
    count = 0
    for name in shown:
        target = chosen[name]
        for variant in target.variants:
            path = target.path(SEED.name, "en", clinic, variant)
            count += 1
            for other in chosen.values():
                if other is not target:
                    count += len(other.copy_paths(SEED.name, "en", clinic, path))
                    count += len(other.derived(target, variant, SEED.name, "en", clinic))
    return count


def scaling(sizes: list[int], formats: tuple[str, ...], cores: int, work: Path, repeats: int) -> list[dict]:
    from publisher.content import load_project
    from publisher.targets import targets

    rows = []
    for size in sizes:
        print(f"  {size} articles: catalogue, --jobs 1, --jobs {cores}, no-op, one-sentence edit …",
              file=sys.stderr, flush=True)
        content = work / f"catalogue-{size}" / "content"
        ids = make_catalogue(content, size)
        per_lang = _files_showing_the_edit(targets(), formats, next(iter(load_project(content).clinics.values())))
        j1 = _full_build(content, content.parent / "out-j1", 1, formats)
        jn = _full_build(content, content.parent / "out-jn", cores, formats)
        noop = _noop(content, content.parent / "out-jn", cores, formats, jn["targets"], repeats)
        seed_id = next(i for i, fixture in article_ids(size) if fixture.name == "muscle-mass-loss-and-pain")
        edit = _edit(content, content.parent / "out-jn", cores, formats, seed_id, 6, per_lang)
        rows.append({"articles": size, "article_languages": sum(6 if "muscle" in i else 1 for i in ids),
                     "jobs1": j1, "jobsN": jn, "noop": noop, "edit": edit})
        shutil.rmtree(content.parent)
    base = rows[0]
    for row in rows:
        for key, get in (("render_sum", lambda r: r["jobsN"]["render_sum_s"]),
                         ("wall_j1", lambda r: r["jobs1"]["process_wall_s"]),
                         ("wall_jN", lambda r: r["jobsN"]["process_wall_s"])):
            per = get(row) / row["articles"]
            row[f"{key}_per_article_s"] = round(per, 4)
            row[f"{key}_per_article_ratio"] = round(per / (get(base) / base["articles"]), 3)
    return rows


def noop_at_scale(sizes: list[int], formats: tuple[str, ...], cores: int, work: Path, repeats: int) -> list[dict]:
    rows = []
    for size in sizes:
        print(f"  no-op at {size} articles ({', '.join(formats)}; outputs seeded by stub renders) …",
              file=sys.stderr, flush=True)
        content = work / f"noop-{size}" / "content"
        make_catalogue(content, size)
        output = content.parent / "out"
        _, seeded = _harness("seed", content, output, *formats)
        row = _noop(content, output, cores, formats, seeded["built"], repeats)
        rows.append({"articles": size, **row})
        shutil.rmtree(content.parent)
    return rows


def _artifacts(output: Path) -> dict[str, str]:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry["sha256"] for entry in manifest["artifacts"]}


def web_and_cache(size: int, cores: int, work: Path, repeats: int) -> dict:
    """The web edition's files in a clean build of every format (pages, the site's shared files,
    copies of the other formats beside the pages, thumbnails, galleries); a web-only build; the
    same build into a second output folder through a warm render cache; and `publisher validate`
    in a fresh process against a second call in the same one."""
    print(f"  web edition and render cache: {size} articles, every format, clean build (cache cold),"
          " second folder (cache warm), web only, validate …", file=sys.stderr, flush=True)
    content = work / f"web-{size}" / "content"
    make_catalogue(content, size)
    cache = content.parent / "cache"
    clean = _full_build(content, content.parent / "out-clean", cores, ALL_FORMATS, cache)
    warm = _full_build(content, content.parent / "out-warm", cores, ALL_FORMATS, cache)
    same = _artifacts(content.parent / "out-clean") == _artifacts(content.parent / "out-warm")
    web = _full_build(content, content.parent / "out-web", cores, ("web",))
    pages = web["kinds"]["web"]["count"]

    def cli_validate():
        _run(_publisher_cmd() + ["validate", "--content", str(content)], cwd=content.parent)

    fresh = repeat(cli_validate, repeats)
    _, in_process = _harness("validate", content)
    shutil.rmtree(content.parent)
    return {"articles": size, "jobs": cores, "formats": list(ALL_FORMATS), "clean": clean, "warm": warm,
            "warm_identical": same, "warm_over_clean": round(warm["process_wall_s"] / clean["process_wall_s"], 3),
            "web_only": {**web, "pages": pages, "wall_per_page_s": round(web["process_wall_s"] / pages, 4),
                         "build_wall_per_page_s": round(web["build_wall_s"] / pages, 4)},
            "validate": {"fresh_process": fresh, **in_process}}


POSTER_EDIT_UNIT = "strategy-exercise"  # a list item whose heading handouts and posters (as a tile) both show


def remembered_layouts(size: int, cores: int, work: Path) -> dict:
    """Layouts per handout and per poster: a first build, then a rebuild after a
    one-sentence edit, when each file tries the choice its last build made."""
    print(f"  layouts per file: {size} articles, handouts and posters, first build and one-sentence edit …",
          file=sys.stderr, flush=True)
    formats = ("handout", "poster")
    content = work / f"layouts-{size}" / "content"
    make_catalogue(content, size)
    output = content.parent / "out"
    _, first = _harness("build", content, output, cores, *formats)
    seed_id = next(i for i, fixture in article_ids(size) if fixture.name == "muscle-mass-loss-and-pain")
    unit = edit_heading(content, seed_id, POSTER_EDIT_UNIT)
    _, rebuild = _harness("build", content, output, cores, *formats)
    shutil.rmtree(content.parent)
    for result in (first, rebuild):
        if result["failures"]:
            raise RuntimeError("the build failed:\n" + "\n".join(result["failures"][:10]))

    def kinds(files: list[dict]) -> dict:
        out = {}
        for kind in formats:
            fs = [f for f in files if f["format"] == kind]
            letter = [f for f in fs if kind == "handout" and f["lang"] in ("de", "fr") and f["variant"] == "letter"]
            out[kind] = {"files": len(fs), "layouts": sum(f["layouts"] for f in fs),
                         "mean_layouts": round(sum(f["layouts"] for f in fs) / len(fs), 2) if fs else None,
                         "max_layouts": max((f["layouts"] for f in fs), default=None),
                         "mean_render_s": round(sum(f["seconds"] for f in fs) / len(fs), 4) if fs else None}
            if letter:
                out[kind]["de_fr_letter_mean_render_s"] = round(sum(f["seconds"] for f in letter) / len(letter), 4)
        return out

    return {"articles": size, "jobs": cores, "edit_unit": unit, "first": kinds(first["files"]),
            "rebuild": kinds(rebuild["files"]),
            "layouts_by_file": {f["path"]: [f["layouts"], r["layouts"]] for f in first["files"]
                                for r in rebuild["files"] if r["path"] == f["path"]}}


def comparisons(work: Path, repeats: int) -> dict:
    from publisher.content import load_project

    from markdown import HANDOUT_CSS, article_markdown

    print("  seed article: ours, raw WeasyPrint, Typst, pandoc …", file=sys.stderr, flush=True)
    content = work / "seed" / "content"
    make_seed_content(content)
    _, result = _harness("compare", content, content.parent, repeats)
    print("  every handout of a two-article catalogue: ours and raw WeasyPrint, file by file …", file=sys.stderr,
          flush=True)
    mix = work / "mix" / "content"
    make_catalogue(mix, 2)
    _, result["mix"] = _harness("mix", mix, repeats)
    py = sys.executable
    result["python_startup"] = repeat(lambda: _run([py, "-c", "pass"]), repeats)
    result["import_weasyprint_process"] = repeat(lambda: _run([py, "-c", "import weasyprint"]), repeats)
    result["import_publisher_build_process"] = repeat(lambda: _run([py, "-c", "import publisher.build"]), repeats)

    try:
        import typst  # noqa: F401
    except ImportError:
        result["typst_process"] = None
        result["typst_note"] = "the PyPI package `typst` is not installed: pip install typst"
    else:
        code = ("import typst; typst.compile({src!r}, output={out!r}, font_paths=[{fonts!r}],"
                " ignore_system_fonts=True)").format(src=str(HERE / "typst" / "handout.typ"),
                                                     out=str(content.parent / "typst.pdf"),
                                                     fonts=str(ROOT / "templates" / "fonts"))
        result["typst_process"] = repeat(lambda: _run([py, "-c", code]), repeats)

    pandoc = shutil.which("pandoc")
    if not pandoc:
        result["pandoc"] = None
        result["pandoc_note"] = ("pandoc is not installed, so the pandoc rows are not measured"
                                 " (Debian: apt-get install pandoc)")
        return result
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    article = load_project(content).articles["muscle-mass-loss-and-pain"].article
    folder = content.parent
    (folder / "seed.md").write_text(article_markdown(article), encoding="utf-8")
    (folder / "handout.css").write_text(HANDOUT_CSS, encoding="utf-8")
    weasy_cli = Path(py).with_name("weasyprint")
    weasy = [str(weasy_cli)] if weasy_cli.exists() else [py, "-m", "weasyprint"]
    to_pptx = lambda: _run([pandoc, "seed.md", "-o", "pandoc.pptx"], cwd=folder)  # noqa: E731
    to_html = lambda: _run([pandoc, "seed.md", "-s", "-c", "handout.css", "-o", "pandoc.html"], cwd=folder)  # noqa: E731
    to_pdf = lambda: _run(weasy + ["pandoc.html", "pandoc.pdf"], cwd=folder)  # noqa: E731
    to_pdf_both = lambda: (to_html(), to_pdf())  # noqa: E731
    result["pandoc"] = {
        "version": version,
        "md_to_pptx": repeat(to_pptx, repeats),
        "md_to_html": repeat(to_html, repeats),
        "html_to_pdf_weasyprint_cli": repeat(to_pdf, repeats),
        "md_to_html_to_pdf": repeat(to_pdf_both, repeats),
        "pptx_bytes": (folder / "pandoc.pptx").stat().st_size,
        "pdf_bytes": (folder / "pandoc.pdf").stat().st_size,
    }
    return result


# ---------------------------------------------------------------- reporting

def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _s(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def _mb(x):
    return "-" if x is None else f"{x:.0f}"


def _kb(x):
    return f"{x / 1024:.0f} KB"


def report(results: dict) -> str:
    out = []
    m = results["machine"]
    out.append(f"publisher benchmark — {m['date']}, {m['cores']} cores, load average {m['loadavg_start']} at start,"
               f" {m['loadavg_end']} at end; Python {m['python']}, WeasyPrint {m['weasyprint']},"
               f" typst {m['typst']}, {m['pandoc'] or 'pandoc not installed'}")
    formats = results["formats"]
    rows = results["scaling"]
    if rows:
        cores = results["cores"]
        out.append("")
        out.append(f"Full builds — synthetic catalogue (copies alternate the seed article in 6 languages and the"
                   f" hydration article in English), 1 clinic, formats: {', '.join(formats)}; all cores = {cores}")
        out.append(table(
            ["articles", "art×lang", "targets", "Σ render j1 s", f"Σ render j{cores} s", "wall j1 s", f"wall j{cores} s",
             f"j{cores} wall÷(Σ÷{cores})", "(in-build)", f"j{cores} wall÷(Σj1÷{cores})", "load s", "worker RSS MB",
             "parent RSS MB"],
            [[r["articles"], r["article_languages"], r["jobsN"]["targets"], _s(r["jobs1"]["render_sum_s"]),
              _s(r["jobsN"]["render_sum_s"]),
              _s(r["jobs1"]["process_wall_s"]), _s(r["jobsN"]["process_wall_s"]),
              _s(r["jobsN"]["wall_over_sum_per_core"]), _s(r["jobsN"]["build_wall_over_sum_per_core"]),
              _s(r["jobsN"]["process_wall_s"] / (r["jobs1"]["render_sum_s"] / cores)), _s(r["jobsN"]["load_s"]),
              _mb(max(r["jobsN"]["worker_peak_rss_mb"] + r["jobs1"]["worker_peak_rss_mb"])),
              _mb(r["jobsN"]["parent_peak_rss_mb"])] for r in rows]))
        out.append("")
        out.append("Linearity — seconds per article, and the ratio to the smallest size (1.00 = linear)")
        out.append(table(
            ["articles", "Σ/article", "ratio", "wall j1/article", "ratio", f"wall j{cores}/article", "ratio"],
            [[r["articles"], _s(r["render_sum_per_article_s"], 3), _s(r["render_sum_per_article_ratio"]),
              _s(r["wall_j1_per_article_s"], 3), _s(r["wall_j1_per_article_ratio"]),
              _s(r["wall_jN_per_article_s"], 3), _s(r["wall_jN_per_article_ratio"])] for r in rows]))
        out.append("")
        out.append(f"Incremental rebuilds (whole `publisher build` processes, --jobs {cores}, imports included)")
        out.append(table(
            ["articles", "targets", "no-op s", "(in-build)", "full check s", "renderer imported?", "edit: unit",
             "rebuilt / expected", "languages", "edit s"],
            [[r["articles"], r["noop"]["targets"], _s(r["noop"]["process_wall_s"]), _s(r["noop"]["build_wall_s"]),
              _s(r["noop"].get("full_check_wall_s")),
              ", ".join(r["noop"]["heavy_modules_imported"]) or "no",
              r["edit"]["unit"], f"{r['edit']['rebuilt']} / {r['edit']['expected']}",
              len(r["edit"]["rebuilt_langs"]), _s(r["edit"]["process_wall_s"])] for r in rows]))
        last = rows[-1]["jobsN"]
        out.append("")
        out.append(f"Per artifact kind — largest size, --jobs {cores} build (amortized = mean render time ×"
                   f" cores × wall ÷ Σ = {last['overhead_factor']:.2f})")
        out.append(table(
            ["kind", "count", "mean render s", "mean CPU s", "mean render en s", "amortized s", "amortized en s",
             "amortized j1 s", "amortized j1 en s", "mean bytes", "min bytes", "max bytes"],
            [[k, v["count"], _s(v["mean_render_s"], 3), _s(v.get("mean_cpu_s"), 3), _s(v["mean_render_en_s"], 3), _s(v["amortized_s"], 3),
              _s(v["amortized_en_s"], 3), _s(rows[-1]["jobs1"]["kinds"][k]["amortized_s"], 3),
              _s(rows[-1]["jobs1"]["kinds"][k]["amortized_en_s"], 3),
              _kb(v["mean_bytes"]), _kb(v["min_bytes"]), _kb(v["max_bytes"])]
             for k, v in last["kinds"].items()]))
        out.append("(amortized j1: the same from the --jobs 1 build, whose renders do not compete with each other"
                   " for the cores)")
    if results.get("web"):
        out.append("")
        out.append(_web_tables(results["web"]))
    if results.get("layouts"):
        out.append("")
        out.append(_layouts_table(results["layouts"]))
    if results["noop_at_scale"]:
        out.append("")
        out.append("No-op rebuild at catalogue scale (outputs seeded by publisher's own build with stub renders;"
                   " no-op: inputs digested and compared with the last build's record; full check: that record"
                   " deleted, so every file is loaded, planned and its fingerprint compared)")
        out.append(table(
            ["articles", "formats", "targets", "no-op s (median)", "min", "(in-build)", "full check s",
             "renderer imported?"],
            [[r["articles"], ", ".join(results["noop_formats"]), r["targets"], _s(r["process_wall_s"]),
              _s(r["process_wall_min_s"]), _s(r["build_wall_s"]), _s(r.get("full_check_wall_s")),
              ", ".join(r["heavy_modules_imported"]) or "no"]
             for r in results["noop_at_scale"]]))
    c = results.get("comparisons")
    if c:
        out.append("")
        out.append(f"Side by side — seed article, English, A4 handout and 16:9 deck; median of"
                   f" {c['ours_handout_warm']['runs']} runs; anchors were measured on a 2-core machine, for orientation")
        kinds = rows[-1]["jobsN"]["kinds"] if rows else {}
        def t(m):  # median and min of a timing
            return [_s(m["median"], 3), _s(m["min"], 3)] if m else ["-", "-"]

        def one(x):  # a single figure
            return [_s(x, 3), ""]

        prows = [
            ["handout: publisher render, warm in-process", *t(c["ours_handout_warm"]), "",
             f"{c['handout_layouts_tried']} layout(s) tried, density {c['handout_density']}"],
            ["handout: raw WeasyPrint, same HTML, write_pdf()", *t(c["raw_weasyprint"]),
             ANCHORS["raw_weasyprint"], "warm in-process"],
            ["handout: raw WeasyPrint, same HTML, PDF/UA-1", *t(c["raw_weasyprint_pdfua"]), "",
             "the options publisher writes with"],
            ["handout: raw WeasyPrint, layout only", *t(c["raw_weasyprint_layout_only"]), "", ""],
        ]
        x = c.get("mix")
        if x:
            n = len(x["files"])
            prows.append(["handouts of the catalogue mix: publisher, warm", *one(x["ours_mean_s"]), "",
                          f"mean of {n} files: a seed copy in 6 languages and a hydration copy, A4 and Letter"])
            prows.append(["handouts of the catalogue mix: raw WeasyPrint, PDF/UA-1", *one(x["raw_pdfua_mean_s"]), "",
                          "the HTML our template kept for each file, written as publisher writes it"])
            prows.append(["handouts of the catalogue mix: raw WeasyPrint", *one(x["raw_mean_s"]), "",
                          "the same, write_pdf() with its defaults: untagged"])
        if "handout" in kinds:
            prows.append(["handout: publisher amortized in the full build", *one(kinds["handout"]["amortized_s"]),
                          "", "all languages"])
            prows.append(["handout: publisher amortized, English only", *one(kinds["handout"]["amortized_en_s"]),
                          "", "same text as the raw render"])
        if c.get("typst_in_process"):
            prows.append(["handout: Typst, whole process", *t(c["typst_process"]),
                          ANCHORS["typst_process"], "bench/typst/handout.typ, python + import typst + compile"])
            prows.append(["handout: Typst, warm in-process", *t(c["typst_in_process"]), "", ""])
        else:
            prows.append(["handout: Typst", "-", "-", ANCHORS["typst_process"], c.get("typst_note", "")])
        p = c.get("pandoc")
        if p:
            prows.append(["handout: pandoc MD→HTML + WeasyPrint CLI", *t(p["md_to_html_to_pdf"]),
                          ANCHORS["pandoc_weasyprint"],
                          f"pandoc {_s(p['md_to_html']['median'], 3)} + weasyprint {_s(p['html_to_pdf_weasyprint_cli']['median'], 3)}"])
        else:
            prows.append(["handout: pandoc MD→HTML + WeasyPrint CLI", "-", "-", ANCHORS["pandoc_weasyprint"],
                          c.get("pandoc_note", "")])
        prows.append(["deck: publisher render, warm in-process", *t(c["ours_deck_warm"]), "", ""])
        if "deck" in kinds:
            prows.append(["deck: publisher amortized in the full build", *one(kinds["deck"]["amortized_s"]), "",
                          "all languages"])
        if p:
            prows.append(["deck: pandoc MD→PPTX, whole process", *t(p["md_to_pptx"]),
                          ANCHORS["pandoc_pptx"], p["version"]])
        else:
            prows.append(["deck: pandoc MD→PPTX", "-", "-", ANCHORS["pandoc_pptx"], c.get("pandoc_note", "")])
        prows.append(["python -c 'import weasyprint', whole process", *t(c["import_weasyprint_process"]),
                      ANCHORS["import_weasyprint"], f"python alone {_s(c['python_startup']['median'], 3)}"])
        prows.append(["python -c 'import publisher.build', whole process",
                      *t(c["import_publisher_build_process"]), "", "what every publisher build pays"])
        out.append(table(["what", "median s", "min s", "anchor", "note"], prows))
        if x:
            out.append("")
            out.append("Catalogue mix, file by file — median of each; a density after the first means the"
                       " layouts before it were trials that stopped at their third page")
            out.append(table(["file", "density", "layouts", "publisher s", "raw PDF/UA-1 s", "ratio",
                              "raw untagged s", "ratio"],
                             [[f"{f['article']}/{f['lang']}/handout-{f['variant']}", f["density"], f["layouts"],
                               _s(f["ours"]["median"], 3), _s(f["raw_pdfua"]["median"], 3),
                               _s(f["ours"]["median"] / f["raw_pdfua"]["median"]), _s(f["raw"]["median"], 3),
                               _s(f["ours"]["median"] / f["raw"]["median"])] for f in x["files"]]))
    out.append("")
    out.append("Targets")
    out.append(table(["target", "measured", "goal", "met?"],
                     [[t["name"], t["measured"], t["goal"], t["met"]] for t in results["targets"]]))
    return "\n".join(out)


def _web_tables(r: dict) -> str:
    clean, web = r["clean"], r["web_only"]
    kinds = clean["kinds"]
    out = [f"Web edition — {r['articles']} articles, every format ({', '.join(r['formats'])}), --jobs {r['jobs']},"
           f" clean build (amortized = mean render time × cores × wall ÷ Σ = {clean['overhead_factor']:.2f})"]
    rows = []
    for kind, label, note in (("web", "page", "Jinja only: one article in one language"),
                              ("web thumbnail", "thumbnail (picture)",
                               "a PDF's first page drawn by PDFium, quantized PNG"),
                              ("web gallery", "gallery", "one per clinic's site, one across clinics")):
        k = kinds.get(kind)
        if k:
            rows.append([label, k["count"], _s(k["mean_render_s"], 4), _s(k.get("median_render_s"), 4),
                         _s(k["mean_cpu_s"], 4),
                         _s(k["amortized_s"], 4), _kb(k["mean_bytes"]), _kb(k["mean_bytes"] * k["count"]), note])
    shared = kinds.get("web shared")
    if shared:
        rows.append(["shared files", shared["count"], "-", "-", "-", "-", _kb(shared["mean_bytes"]),
                     _kb(shared["mean_bytes"] * shared["count"]),
                     "stylesheet, logo, icon, WOFF2 fonts: made when planned, written once per site"])
    copies = sum(k["copies"] for k in kinds.values())
    if copies:
        rows.append(["copies beside the pages", copies, "-", "-", "-", "-",
                     _kb(sum(k["copy_bytes"] for k in kinds.values()) / copies),
                     _kb(sum(k["copy_bytes"] for k in kinds.values())),
                     "the other formats' files again, written by the build's parent: nothing rendered"])
    out.append(table(["web files", "files", "mean wall s", "median wall s", "mean CPU s", "amortized s", "mean bytes", "total bytes",
                      "what"], rows))
    out.append("")
    out.append(f"Web only — `--format web`, {r['articles']} articles, whole process (imports, loading, content gates,"
               " planning, pages, shared files, galleries): what a build of the pages alone costs per page")
    out.append(table(["pages", "files", "process wall s", "in-build wall s", "Σ render s", "load s",
                      "process wall ÷ pages s", "in-build wall ÷ pages s"],
                     [[web["pages"], web["targets"], _s(web["process_wall_s"]), _s(web["build_wall_s"]),
                       _s(web["render_sum_s"], 3), _s(web["load_s"]), _s(web["wall_per_page_s"], 3),
                       _s(web["build_wall_per_page_s"], 3)]]))
    warm = r["warm"]
    out.append("")
    out.append("Render cache — the same build of every format into a second output folder with `--cache` warm,"
               " against the clean build that filled it (whole processes)")
    out.append(table(["build", "files", "paths", "from cache", "made again", "process wall s", "in-build wall s",
                      "Σ render s", "÷ clean", "same bytes?"],
                     [["clean (cache cold, filled)", clean.get("tasks"), clean["targets"], clean["cached"], "all",
                       _s(clean["process_wall_s"]), _s(clean["build_wall_s"]), _s(clean["render_sum_s"]), "1.00", ""],
                      ["second folder, cache warm", warm.get("tasks"), warm["targets"], warm["cached"],
                       ", ".join(f"{k} {v['count'] - v['cached']}" for k, v in warm["kinds"].items()
                                 if v["count"] > v["cached"]) or "none",
                       _s(warm["process_wall_s"]), _s(warm["build_wall_s"]), _s(warm["render_sum_s"]),
                       _s(r["warm_over_clean"]), "yes" if r["warm_identical"] else "NO"]]))
    out.append("(files: one per task; paths: written, copies of a file beside the pages included; the cache holds"
               " the files made from an article: thumbnails and galleries are drawn again, the shared files are"
               " made when planned and written)")
    v = r["validate"]
    out.append("")
    out.append(f"`publisher validate` of the same {r['articles']} articles — the content gates load their language"
               " data (hyphenation, word frequencies, pronunciations) once per process")
    out.append(table(["what", "s"],
                     [[f"fresh process, whole (median of {v['fresh_process']['runs']})",
                       _s(v["fresh_process"]["median"])],
                      ["in one process: imports", _s(v["import_s"])],
                      ["in one process: first call (cold)", _s(v["first_s"])],
                      ["in one process: second call (warm)", _s(v["second_s"])],
                      ["cold − warm: loaded once per process", _s(v["first_s"] - v["second_s"])],
                      ["peak RSS of that process, MB (before → after)",
                       f"{_mb(v.get('rss_before_mb'))} → {_mb(v.get('rss_after_mb'))}"]]))
    return "\n".join(out)


def _layouts_table(r: dict) -> str:
    rows = []
    for kind in ("handout", "poster"):
        a, b = r["first"][kind], r["rebuild"][kind]
        rows.append([f"layouts per {kind}", a["files"], a["mean_layouts"], a["max_layouts"], b["files"],
                     b["mean_layouts"], b["max_layouts"], _s(a["mean_render_s"], 3), _s(b["mean_render_s"], 3)])
    a, b = r["first"]["handout"], r["rebuild"]["handout"]
    if "de_fr_letter_mean_render_s" in a and "de_fr_letter_mean_render_s" in b:
        rows.append(["render s per de/fr Letter handout", "", "", "", "", "", "",
                     _s(a["de_fr_letter_mean_render_s"], 3), _s(b["de_fr_letter_mean_render_s"], 3)])
    return (f"Layouts per file — {r['articles']} articles, handouts and posters, --jobs {r['jobs']}: a first build,"
            f" then a rebuild after the heading of list item '{r['edit_unit']}' gains a few words (each file tries"
            " the choice its last build made, and proves it)\n"
            + table(["row", "first: files", "mean", "max", "rebuild: files", "mean", "max", "first s/file",
                     "rebuild s/file"], rows))


def verdicts(results: dict) -> list[dict]:
    out = []

    def add(name, value, goal, ok, fmt="{:.2f}"):
        out.append({"name": name, "measured": "-" if value is None else fmt.format(value), "goal": goal,
                    "met": "n/a" if ok is None else ("yes" if ok else "NO")})

    rows, c = results["scaling"], results.get("comparisons") or {}
    kinds = rows[-1]["jobsN"]["kinds"] if rows else {}
    raw = c.get("raw_weasyprint", {}).get("median")
    typ = (c.get("typst_process") or {}).get("median")
    pptx = ((c.get("pandoc") or {}).get("md_to_pptx") or {}).get("median")
    h = kinds.get("handout")
    x = c.get("mix") or {}
    for label, key in (("same files, PDF/UA-1 as ours", "raw_pdfua_mean_s"),
                       ("same files, untagged", "raw_mean_s")):
        v = h["amortized_s"] / x[key] if h and x.get(key) else None
        add(f"handout amortized (all languages) ÷ raw WeasyPrint, {label}", v, f"≤ {TARGETS['handout_vs_raw']}",
            None if v is None else v <= TARGETS["handout_vs_raw"])
    v = x["ours_mean_s"] / x["raw_pdfua_mean_s"] if x.get("ours_mean_s") and x.get("raw_pdfua_mean_s") else None
    add("(for reference) the same files warm in-process, ours ÷ raw PDF/UA-1, same moment", v,
        f"≤ {TARGETS['handout_vs_raw']}", None if v is None else v <= TARGETS["handout_vs_raw"])
    for label, key in (("all languages", "amortized_s"), ("English", "amortized_en_s")):
        v = h[key] / raw if h and raw and h.get(key) else None
        add(f"handout amortized ({label}) ÷ raw WeasyPrint, English seed A4, untagged", v, f"≤ {TARGETS['handout_vs_raw']}",
            None if v is None else v <= TARGETS["handout_vs_raw"])
        v = h[key] / typ if h and typ and h.get(key) else None
        add(f"handout amortized ({label}) ÷ Typst whole process", v, "≤ 1.0", None if v is None else v <= 1.0)
    h1 = rows[-1]["jobs1"]["kinds"].get("handout") if rows else None
    v = h1["amortized_en_s"] / raw if h1 and raw and h1.get("amortized_en_s") else None
    add("handout amortized (English, --jobs 1 build) ÷ raw WeasyPrint", v, f"≤ {TARGETS['handout_vs_raw']}",
        None if v is None else v <= TARGETS["handout_vs_raw"])
    warm = (c.get("ours_handout_warm") or {}).get("median")
    v = warm / raw if warm and raw else None
    add("(for reference) handout warm in-process ÷ raw WeasyPrint, same moment", v,
        f"≤ {TARGETS['handout_vs_raw']}", None if v is None else v <= TARGETS["handout_vs_raw"])
    d = kinds.get("deck")
    v = d["amortized_s"] / pptx if d and pptx else None
    add("deck amortized ÷ pandoc MD→PPTX", v, "≤ 1.0", None if v is None else v <= 1.0)
    if rows:
        v = rows[-1]["jobsN"]["wall_over_sum_per_core"]
        add(f"full build wall ÷ (Σ ÷ cores), {rows[-1]['articles']} articles", v, f"≤ {TARGETS['parallel']}",
            v <= TARGETS["parallel"])
        r = rows[-1]
        v = r["jobsN"]["process_wall_s"] / (r["jobs1"]["render_sum_s"] / r["jobsN"]["jobs"])
        add("(stricter) full build wall ÷ (Σ of the --jobs 1 build ÷ cores)", v, f"≤ {TARGETS['parallel']}",
            v <= TARGETS["parallel"])
        v = max(x for r in rows for x in r["jobsN"]["worker_peak_rss_mb"] + r["jobs1"]["worker_peak_rss_mb"])
        add("peak RSS per worker, MB", v, f"≤ {TARGETS['worker_rss_mb']}", v <= TARGETS["worker_rss_mb"], "{:.0f}")
        if len(rows) > 1:
            worst = max(abs(r[k] - 1) for r in rows for k in ("render_sum_per_article_ratio", "wall_j1_per_article_ratio",
                                                              "wall_jN_per_article_ratio"))
            add("linear growth: worst per-article ratio − 1", worst, f"≤ {TARGETS['linear_tolerance']}",
                worst <= TARGETS["linear_tolerance"])
        e = rows[-1]["edit"]
        if e.get("failed"):
            first = e["failed"][0]
            gate = re.search(r"\[[\w-]+\]", first)
            where = first.split(":", 1)[0].rsplit("/", 3)[-3:]
            out.append({"name": "one-sentence edit: the rebuild failed (its first error)",
                        "measured": f"{gate.group(0) if gate else 'error'} {'/'.join(where)}",
                        "goal": "built", "met": "NO"})
        add("one-sentence edit rebuilds that article only, in every language", e["rebuilt"],
            f"= {e['expected']}", e["rebuilt"] == e["expected"] and not e["other_articles_rebuilt"], "{:.0f}")
    lay = results.get("layouts")
    for kind in ("handout", "poster") if lay else ():
        v = lay["rebuild"][kind]["mean_layouts"]
        add(f"layouts per {kind}, rebuild after a one-sentence edit (mean)", v, f"≤ {TARGETS['layouts_rebuild']}",
            None if v is None else v <= TARGETS["layouts_rebuild"])
    w = results.get("web")
    if w:
        page = w["clean"]["kinds"].get("web")
        v = page["amortized_s"] if page else None
        add(f"web page amortized in a build of every format, {w['articles']} articles, s per page", v,
            f"≤ {TARGETS['web_page_s']}", None if v is None else v <= TARGETS["web_page_s"], "{:.4f}")
        v = page.get("mean_cpu_s") if page else None
        add("(for reference) web page mean CPU s, the same build: its cost without waiting for a core", v,
            f"≤ {TARGETS['web_page_s']}", None if v is None else v <= TARGETS["web_page_s"], "{:.4f}")
        v = w["web_only"]["wall_per_page_s"]
        add(f"(stricter) `--format web` alone, whole process ÷ pages, {w['articles']} articles", v,
            f"≤ {TARGETS['web_page_s']}", v <= TARGETS["web_page_s"], "{:.3f}")
    noops = results["noop_at_scale"]
    big = [r for r in noops if r["articles"] >= TARGETS["noop_articles"]]
    if big:
        r = big[0]
        add(f"no-op rebuild, {r['articles']} articles, s", r["process_wall_s"], f"≤ {TARGETS['noop_seconds']}",
            r["process_wall_s"] <= TARGETS["noop_seconds"])
    allnoop = noops + [r["noop"] for r in rows]
    if allnoop:
        imported = sorted({m for r in allnoop for m in r["heavy_modules_imported"]})
        out.append({"name": "no-op rebuild imports no renderer", "measured": ", ".join(imported) or "none",
                    "goal": "none", "met": "no" if {"weasyprint", "pptx"} & set(imported) else "yes"})
    return out


# ---------------------------------------------------------------- main

def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_ints, default=[20, 50, 100],
                        help="articles per catalogue for the full-build rows (default 20,50,100)")
    parser.add_argument("--formats", default="handout,deck",
                        help="formats of the full-build rows, comma-separated, or 'all' (default handout,deck)")
    parser.add_argument("--noop-sizes", type=_ints, default=[20, 100],
                        help="articles for the no-op-at-scale rows (default 20,100); empty to skip")
    parser.add_argument("--noop-formats", default="all", help="formats of the no-op-at-scale rows (default all)")
    parser.add_argument("--layouts-size", type=int, default=2,
                        help="articles for the layouts-per-file rows, handouts and posters (default 2); 0 to skip")
    parser.add_argument("--web-size", type=int, default=4,
                        help="articles for the web-edition, render-cache and validate rows, every format (default 4);"
                             " 0 to skip")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="'all cores' (default: cpu count)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timed comparison and no-op (default 3)")
    parser.add_argument("--quick", action="store_true", help="sizes 2,4, no-op at 20, web rows at 2, 2 repeats: a smoke run")
    parser.add_argument("--no-compare", action="store_true", help="skip the side-by-side comparisons")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--from-json", type=Path, metavar="FILE",
                        help="measure nothing: print the tables of an earlier run's JSON (such as bench/results/latest.json)")
    args = parser.parse_args()
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
        results["targets"] = verdicts(results)
        print(report(results))
        return
    if args.quick:
        args.sizes, args.noop_sizes, args.repeats, args.web_size = [2, 4], [20], 2, 2
    formats = ALL_FORMATS if args.formats == "all" else tuple(f for f in args.formats.split(",") if f)
    noop_formats = ALL_FORMATS if args.noop_formats == "all" else tuple(args.noop_formats.split(","))
    for f in formats + noop_formats:
        if f not in ALL_FORMATS:
            parser.error(f"unknown format {f!r}; choose from {', '.join(ALL_FORMATS)}")

    import weasyprint

    try:
        from importlib.metadata import version
        typst_version = version("typst")
    except Exception:  # noqa: BLE001
        typst_version = "not installed"
    pandoc = shutil.which("pandoc")
    machine = {"date": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(), "loadavg_start": _loadavg(),
               "python": platform.python_version(), "platform": platform.platform(),
               "weasyprint": weasyprint.__version__, "typst": typst_version,
               "pandoc": subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
               if pandoc else None}
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="publisher-bench-"))
    print(f"working in {work}", file=sys.stderr)
    try:
        results = {"machine": machine, "cores": args.jobs, "formats": list(formats),
                   "noop_formats": list(noop_formats), "sizes": args.sizes}
        results["scaling"] = scaling(args.sizes, formats, args.jobs, work, args.repeats) if args.sizes else []
        results["noop_at_scale"] = noop_at_scale(args.noop_sizes, noop_formats, args.jobs, work, args.repeats)
        results["web"] = web_and_cache(args.web_size, args.jobs, work, args.repeats) if args.web_size else None
        results["layouts"] = remembered_layouts(args.layouts_size, args.jobs, work) if args.layouts_size else None
        results["comparisons"] = None if args.no_compare else comparisons(work, max(args.repeats, 3))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    machine["loadavg_end"] = _loadavg()
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = verdicts(results)
    text = report(results)
    print(text)
    print(f"\n(total {results['total_seconds']:.0f} s; JSON in {RESULTS.relative_to(ROOT)})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**results, "table": text}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
