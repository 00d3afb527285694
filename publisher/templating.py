"""The one Jinja environment every output format renders through.

Content is data: it reaches templates only as values, is escaped on output,
and is never compiled as a template, so `{{ 7 * 7 }}` in an article prints
those characters. The sandbox keeps template authors (and any template a
clinic supplies) from reaching Python internals; StrictUndefined turns a
misspelled variable into an error instead of a silent blank.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from publisher import line_breaks
from publisher.errors import Problem, RenderError
from jinja2 import (FileSystemLoader, pass_context, StrictUndefined, TemplateError, TemplateNotFound, TemplateRuntimeError,
                    TemplateSyntaxError, UndefinedError, nodes, select_autoescape)
from jinja2.sandbox import ImmutableSandboxedEnvironment

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class MissingValue(TemplateRuntimeError, KeyError):
    """A label names a placeholder its template does not fill: a template error, located at the line."""

    def __str__(self) -> str:
        return str(self.message)


def fill(label: str, **values: object) -> str:
    """Put values into a wording label such as "Page {page} of {pages}".

    Only `{name}` placeholders are replaced (no format-string features), and
    the values are inserted as they are, so a value is never re-read as a
    placeholder.
    """
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise MissingValue(f"the label {label!r} has a placeholder {{{name}}} that is given no value here")
        return str(values[name])

    return PLACEHOLDER.sub(replace, label)


FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"


def isolate(text: object) -> str:
    """Wrap text in Unicode isolates (FSI…PDI): its direction then comes
    from its own first letter and cannot reorder the words around it.
    WeasyPrint ignores <bdi>, but Pango honours these characters."""
    if isinstance(text, Markup):  # already HTML (see line_breaks): keep it so
        return Markup(FSI) + text + Markup(PDI)
    return f"{FSI}{text}{PDI}"


def ltr(text: object) -> str:
    """Isolate text that always reads left to right: phone numbers, addresses in Latin script, URLs."""
    if isinstance(text, Markup):
        return Markup(LRI) + text + Markup(PDI)
    return f"{LRI}{text}{PDI}"


LRM = "\u200e"


def ltr_marks(text: object) -> str:
    """Keep text that always reads left to right (a phone number, a web address) in order
    inside right-to-left text, with a left-to-right mark on each side: for decks, whose
    fonts and renderers may not know the isolates (PowerPoint, and the fonts that measure
    its text, lack them); every renderer knows LRM. Invisible in left-to-right text."""
    return f"{LRM}{text}{LRM}"


def bidi_fill(label: str, **values: object) -> str:
    """`fill` with every value isolated, for sentences that mix scripts."""
    return fill(label, **{name: isolate(value) for name, value in values.items()})


RLI, RLM = "\u2067", "\u200f"


def _marked_texts(context) -> dict[str, str]:
    loc = context.get("loc")
    return dict(getattr(loc, "marked", ()) or ())


def _source_span(inner: object, lang: str, context) -> Markup:
    """Source-language text inside a translation: tagged with its own language (a screen
    reader switches voice; WeasyPrint writes /Lang into the PDF's structure), isolated in
    its own direction, and followed by the marker in the reader's language."""
    from babel import Locale

    rtl = Locale.parse(lang, sep="-").text_direction == "rtl"
    # WeasyPrint orders each line on its own: on a passage's last line the isolate's opening
    # is gone, so a strong mark keeps its closing full stop on the passage's side.
    opener, mark = (RLI, RLM) if rtl else (LRI, LRM)
    marker = context["labels"].get("fallback_marker", "")
    return Markup('<span class="source-text" lang="{}">{}{}{}{}</span> <span class="fallback-mark" role="note">{}'
                  '</span>').format(lang, Markup(opener), inner, Markup(mark), Markup(PDI), marker)


@pass_context
def marked(context, text: object) -> object:
    """The text as it is; source-language text that stands in for a missing or stale
    translation (`LocalizedArticle.marked`) tagged and marked where it prints."""
    lang = _marked_texts(context).get(str(text)) if isinstance(text, str) else None
    return text if lang is None else _source_span(text, lang, context)


@pass_context
def keep_end_marked(context, text: object) -> Markup:
    """`line_breaks.keep_end`, with source-language text marked as `marked` does."""
    lang = _marked_texts(context).get(str(text))
    kept = line_breaks.keep_end(text)
    return kept if lang is None else _source_span(kept, lang, context)


@pass_context
def bidi_fill_marked(context, label: str, **values: object) -> object:
    """`bidi_fill`, with each source-language value marked as `marked` does."""
    found = _marked_texts(context)
    if not any(isinstance(v, str) and v in found for v in values.values()):
        return bidi_fill(label, **values)
    return Markup(fill(escape(label), **{
        name: _source_span(value, found[value], context) if isinstance(value, str) and value in found
        else escape(isolate(value)) for name, value in values.items()}))


@pass_context
def written_in(context, text: object, lang: str) -> object:
    """A proper name (a clinic's name or address) printed as written: in a file of another
    language, tagged with the language it is written in, as `marked` tags source text."""
    loc = context.get("loc")
    if loc is None or lang == loc.lang:
        return text
    return Markup('<span lang="{}">{}</span>').format(lang, text)


_CLOSING = "\"'”’»›」』）)]"
_SENTENCE_END = ".!?…:;。！？：；؟"


def ending_sentence(text: object) -> bool:
    """Whether text ends with its own full stop, question or exclamation mark,
    perhaps inside closing quotes: a label must not add another."""
    value = str(text).rstrip().rstrip(_CLOSING)
    return value[-1:] in tuple(_SENTENCE_END)


def split_label(label: str, name: str) -> list[str]:
    """Split a label around one placeholder, for CSS `content:` strings."""
    return label.split("{" + name + "}")


def css_string(text: str) -> Markup:
    """Quote text as a CSS string literal, safe to place inside <style>.

    Everything but letters, digits and spaces becomes a CSS escape, so no
    quote, backslash or `</style>` can end the string or the element.
    """
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def digits(text: object, numerals: str) -> str:
    """Write digits in the numbering system the reader uses (`latn` or `arab`)."""
    return str(text).translate(ARABIC_INDIC) if numerals == "arab" else str(text)

def yaml_string(value: object) -> Markup:
    """Quote a value as a YAML double-quoted string, safe inside a YAML template.

    Only printable ASCII is kept as it is; every other character, and the
    quote and backslash, becomes an escape, so content can neither end the
    string nor hit a character YAML refuses, and reads back unchanged.
    """
    out = []
    for ch in str(value):
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return Markup('"' + "".join(out) + '"')


_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_script(value: object) -> Markup:
    """Data as JSON, safe inside <script type="application/ld+json">: no `<`, `>` or `&` is
    left, so no text in it can end the element (`</script>`) or open a comment."""
    import json

    return Markup(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                  .translate(_JSON_IN_HTML))


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fill"] = fill
    env.filters["bidi_fill"] = bidi_fill_marked
    env.filters["marked"] = marked
    env.filters["written_in"] = written_in
    env.filters["isolate"] = isolate
    env.filters["ltr"] = ltr
    env.filters["ltr_marks"] = ltr_marks
    env.filters["split_label"] = split_label
    env.filters["css_string"] = css_string
    env.filters["digits"] = digits

    env.filters["yaml"] = yaml_string
    env.filters["json_script"] = json_script
    env.tests["ending_sentence"] = ending_sentence
    env.filters["keep_end"] = keep_end_marked
    env.filters["unbroken"] = line_breaks.unbroken
    return env


def template_problem(exc: TemplateError, templates_dir: Path, template: str, names=()) -> RenderError:
    """A template mistake as a located problem, not a traceback.

    Jinja rewrites tracebacks so that frames carry the template's file name
    and line; the innermost such frame is where the mistake is. `names` are
    the values the template was given, to suggest one for a misspelt name.
    """
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            filename, line = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    path = Path(filename) if filename else templates_dir / template
    return RenderError([_problem(exc, path, line, templates_dir, names)])


def _problem(exc: TemplateError, path: Path, line: int | None, templates_dir: Path, names=()) -> Problem:
    from publisher.content.template_config import shown_template_path

    message = " ".join(str(getattr(exc, "message", None) or exc or type(exc).__name__).split())
    misspelt = re.fullmatch(r"'(\w+)' is undefined", message)
    close = difflib.get_close_matches(misspelt.group(1), sorted(names), n=1) if misspelt else []
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif isinstance(exc, UndefinedError):
        hint = ("check the spelling against the values the format hands its template (publisher/targets/),"
                " or give it a default with `| default(...)`")
    elif isinstance(exc, TemplateSyntaxError):
        hint = "close every {{ }}, {% %} and {% block %} you open, and use only the filters publisher defines"
    elif isinstance(exc, TemplateNotFound):
        hint = "name a template that exists under the templates folder"
    else:
        hint = "fix the template; content is never template code"
    return Problem(shown_template_path(path, templates_dir), line or 1, 1, "(template)", f"template error: {message}",
                   hint)


def parse_templates(templates_dir: Path) -> tuple[dict[Path, nodes.Template], list[Problem]]:
    """Every template parsed, as `validate` does before anything renders: syntax errors, unknown
    filters and tests, and `extends`/`include`/`import` of templates that do not exist. (Parsing
    and walking the tree costs half of compiling it, and finds the same mistakes.) Names a
    template uses are only known when it renders: those errors come back from the render.
    Returns the trees of the templates that parse, for checks of what they use."""
    problems = []
    trees = {}
    for path in sorted(templates_dir.rglob("*.j2")):
        tree, found = _check_template(templates_dir, path)
        problems += found
        if tree is not None and not found:
            trees[path] = tree
    return trees, problems


def _check_template(templates_dir: Path, path: Path) -> tuple[nodes.Template | None, list[Problem]]:
    env = environment(templates_dir)
    name = path.relative_to(templates_dir).as_posix()
    size = path.stat().st_size
    if size > MAX_TEMPLATE_BYTES:
        return None, [_problem(TemplateError(f"the template is {size:,} bytes, more than the"
                                             f" {MAX_TEMPLATE_BYTES:,} a template may have"), path, 1, templates_dir)]
    try:
        ast = _parse(templates_dir, name)
        depth, line = _depth(ast)
    except UnicodeDecodeError as exc:
        return None, [_problem(TemplateError(f"the file is not UTF-8 text ({exc.reason})"), path, 1, templates_dir)]
    except TemplateSyntaxError as exc:
        return None, [_problem(exc, path, exc.lineno, templates_dir)]
    except RecursionError:
        depth, line = MAX_TEMPLATE_DEPTH + 1, 1
    if depth > MAX_TEMPLATE_DEPTH:
        return None, [_problem(TemplateError(f"the template nests more than {MAX_TEMPLATE_DEPTH} levels deep"
                                             " (brackets, tags and expressions inside one another)"),
                               path, line, templates_dir)]
    problems = []
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            problems.append(_problem(TemplateSyntaxError(f"no {kind} named '{node.name}'", node.lineno),
                                     path, node.lineno, templates_dir))
    for node in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str) \
                and not (templates_dir / target.value).is_file():
            problems.append(_problem(TemplateNotFound(f"the template '{target.value}' does not exist"),
                                     path, node.lineno, templates_dir))
    return ast, problems


# Templates are small; Jinja parses, compiles and renders them recursively, so a deep one
# would end in a RecursionError (a traceback) instead of a located error.
MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_TEMPLATE_DEPTH = 60


def _depth(tree: nodes.Node) -> tuple[int, int]:
    """The deepest nesting in a template's tree, and the line where it is, without recursion."""
    deepest, line = 0, 1
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest, line = depth, getattr(node, "lineno", line) or line
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return deepest, line


def _parse(templates_dir: Path, name: str) -> nodes.Template:
    """A template's tree, parsed once per version of the file (the checks walk each tree several times)."""
    path = templates_dir / name
    stat = path.stat()
    return _parse_version(templates_dir, name, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _parse_version(templates_dir: Path, name: str, mtime_ns: int, size: int) -> nodes.Template:
    path = templates_dir / name
    return environment(templates_dir).parse(path.read_text(encoding="utf-8"), name, str(path))


FILLS = ("fill", "bidi_fill")


def label_fills(trees: dict[Path, nodes.Template]) -> dict[str, set[str]]:
    """Per label filled in a template (`labels.version | fill(version=...)`), the names every such use gives."""
    given: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in tree.find_all(nodes.Filter):
            label = node.node
            if node.name in FILLS and isinstance(label, nodes.Getattr) and isinstance(label.node, nodes.Name) \
                    and label.node.name == "labels" and not node.dyn_kwargs:
                names = {kw.key for kw in node.kwargs}
                given[label.attr] = given[label.attr] & names if label.attr in given else names
    return given


# Names Jinja itself gives inside templates, besides its globals.
_JINJA_NAMES = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})


def undefined_problems(templates_dir: Path, template: str, given) -> list[Problem]:
    """Names that `template`, or a template it extends, includes or imports with context, reads
    but that are neither `given` (the values the format hands it), Jinja's own, nor set in the
    template: a misspelt name, found before anything renders. Attributes (`meta.verison`) are
    only known at render time and are reported from there."""
    env = environment(templates_dir)
    given = frozenset(given)
    problems: list[Problem] = []
    seen: set[tuple[str, bool]] = set()

    def visit(name: str, with_context: bool) -> None:
        path = templates_dir / name
        if (name, with_context) in seen or not path.is_file():
            return  # a missing template is reported by `parse_templates`
        seen.add((name, with_context))
        try:
            tree = _parse(templates_dir, name)
        except (TemplateSyntaxError, UnicodeDecodeError):
            return  # reported by `parse_templates`
        known = (given if with_context else frozenset()) | set(env.globals) | _JINJA_NAMES | _set_in(tree)
        first: dict[str, int] = {}
        for node in tree.find_all(nodes.Name):
            if node.ctx == "load" and node.name not in known:
                first[node.name] = min(first.get(node.name, node.lineno), node.lineno)
        for var, line in sorted(first.items()):
            problems.append(_problem(UndefinedError(f"'{var}' is undefined"), path, line, templates_dir, given))
        for ref in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
            if isinstance(ref.template, nodes.Const) and isinstance(ref.template.value, str):
                passes = with_context and (isinstance(ref, nodes.Extends) or ref.with_context)
                visit(ref.template.value, passes)

    if not (templates_dir / template).is_file():
        return [_problem(TemplateNotFound(f"the template '{template}' does not exist; the format renders it"),
                         templates_dir / template, 1, templates_dir)]
    visit(template, True)
    return problems


def _set_in(tree: nodes.Template) -> set[str]:
    """Every name a template sets anywhere (`set`, `for`, macro names and parameters, imports).
    Jinja scopes them per block; counting them everywhere can miss a name read outside the
    scope that sets it (the render reports that one) but never refuses a template that works."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in tree.find_all(nodes.Macro)}
    names |= {i.target for i in tree.find_all(nodes.Import)}
    for imported in tree.find_all(nodes.FromImport):
        names |= {n[1] if isinstance(n, tuple) else n for n in imported.names}
    return names
