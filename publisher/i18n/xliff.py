"""XLIFF 2.0 files for the CAT tools professional translators use (Trados, memoQ, Phrase).

One file per language, as for PO: a `<file>` per article (its id) and one for
the template wording (`labels`), a `<unit>` per unit (the unit's id), one
segment each (`canResegment="no"`: a unit is printed as one text). States
follow the translation file: no translation → `initial` without a target;
`draft` → `translated`; `reviewed` → `reviewed`; `approved` → `final`; a stale
unit (its source changed since) → `initial` with `subState="publisher:needs-review"`
and its last translation as the target. The reviewer and the review date travel
in the Metadata module (`mda:`), which XLIFF 2 tools keep; notes say where each
text appears and any length limit.

Reading is hardened like the YAML reader: the size is checked before reading,
no DOCTYPE (so no entities, internal or external) is accepted, the parser
neither loads DTDs nor touches the network, and every problem of the file is
reported at its line and column before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from publisher.content import Project
from publisher.content.limits import describe_character, FORBIDDEN_CHARACTER
from publisher.content.units import fingerprint
from publisher.errors import ContentError, Problem
from publisher.i18n.exchange import LABELS, Entry, apply, check_language, groups
from publisher.i18n.labels import SOURCE_LANG, LabelSet

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
VERSIONS = ("2.0", "2.1")
STALE = "publisher:needs-review"
STATE_OF = {"draft": "translated", "reviewed": "reviewed", "approved": "final"}
STATUS_OF = {state: status for status, state in STATE_OF.items()}
REVIEW_GROUP = "publisher-review"


def _q(name: str, ns: str = XLIFF) -> str:
    return f"{{{ns}}}{name}"


def export_xliff(project: Project, labels: LabelSet, templates_dir: Path, lang: str) -> bytes:
    root = etree.Element(_q("xliff"), nsmap={None: XLIFF, "mda": MDA},
                         attrib={"version": "2.0", "srcLang": SOURCE_LANG, "trgLang": lang})
    for group in groups(project, labels, templates_dir, lang, with_notes=True):
        file = etree.SubElement(root, _q("file"), id=group.name, canResegment="no")
        for unit_id, text in group.units.items():
            done = group.translation.translation.units.get(unit_id) if group.translation else None
            unit = etree.SubElement(file, _q("unit"), id=unit_id)
            if done is not None and done.reviewer:
                meta = etree.SubElement(etree.SubElement(unit, _q("metadata", MDA)), _q("metaGroup", MDA),
                                        category=REVIEW_GROUP)
                etree.SubElement(meta, _q("meta", MDA), type="reviewer").text = done.reviewer
                if done.reviewed:
                    etree.SubElement(meta, _q("meta", MDA), type="reviewed").text = done.reviewed.isoformat()
            notes = group.notes.get(unit_id, ())
            if done is not None and done.source and done.fingerprint != fingerprint(text):
                notes += (("previous-source", done.source),)  # what the last translation was made from
            if notes:
                holder = etree.SubElement(unit, _q("notes"))
                for category, body in notes:
                    etree.SubElement(holder, _q("note"), category=category).text = body
            segment = etree.SubElement(unit, _q("segment"))
            if done is None:
                segment.set("state", "initial")
            elif done.fingerprint != fingerprint(text):
                segment.set("state", "initial")
                segment.set("subState", STALE)
            else:
                segment.set("state", STATE_OF[done.status])
            etree.SubElement(segment, _q("source")).text = text
            if done is not None:
                etree.SubElement(segment, _q("target")).text = done.text
    etree.indent(root, space="  ")
    # The declaration as translate-toolkit and most tools write it, so a tool's save changes no byte.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


# ---- reading ----

_PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
               huge_tree=False, remove_comments=True, remove_pis=True, strip_cdata=True)
_DECLARATION = re.compile(r"<!(DOCTYPE|ENTITY)\b")
_ENCODING = re.compile(r"\ufeff?<\?xml[^>]*?encoding=[\"']([^\"']*)[\"']")


def import_xliff(project: Project, labels: LabelSet, templates_dir: Path, lang: str, data: bytes,
                 shown_as: str = "(XLIFF file)") -> list[Path]:
    """Update the language's translation files from an XLIFF 2 file; return the files that changed.

    Every problem of the file is reported, located, before anything is written.
    """
    check_language(lang, shown_as, project, suffix="xlf")

    def at(line: int, col: int, where: str, what: str, hint: str) -> Problem:
        return Problem(shown_as, line, col, where, what, hint)

    root = _parse(data, at)
    problems: list[Problem] = []
    top = (root.sourceline or 1, 1)
    if root.tag != _q("xliff"):
        raise ContentError([at(*top, "(XLIFF)", f"the root element is <{etree.QName(root).localname}>,"
                               f" not XLIFF 2's <xliff xmlns=\"{XLIFF}\">",
                               "export the file again with `publisher i18n export --format xliff`")])
    if root.get("version") not in VERSIONS:
        raise ContentError([at(*top, "(XLIFF)", f"XLIFF version '{root.get('version')}' is not read here",
                               "save it as XLIFF 2.0 or 2.1 in your translation tool")])
    if root.get("srcLang") != SOURCE_LANG:
        problems.append(at(*top, "srcLang", f"the source language is '{root.get('srcLang')}', not"
                           f" '{SOURCE_LANG}'", "export the file again from this project"))
    if root.get("trgLang") != lang:
        problems.append(at(*top, "trgLang", f"the target language is '{root.get('trgLang')}' but the file is"
                           f" named for '{lang}'", f"name the file {root.get('trgLang')}.xlf, or export"
                           f" {lang}.xlf again" if root.get("trgLang") else f"set trgLang=\"{lang}\""))
    known = {group.name: group.units for group in groups(project, labels, templates_dir, lang)}
    entries: dict[str, Entry] = {}
    for file in root.iterchildren(_q("file")):
        units = known.get(file.get("id"))
        if units is None:
            problems.append(at(file.sourceline, 1, "file", f"no article '{file.get('id')}' in this project",
                               "translate the files of this project's export only"))
            continue
        for unit in file.iter(_q("unit")):
            context = f"{file.get('id')}:{unit.get('id')}"
            if unit.get("id") not in units:
                problems.append(at(unit.sourceline, 1, context, f"no unit '{unit.get('id')}' in"
                                   f" {'the template wording' if file.get('id') == LABELS else file.get('id')}",
                                   "keep the unit ids of the export; export again after the source changed"))
                continue
            entry, found = _entry(unit, context, at)
            problems += found
            if entry is not None:
                entries[context] = entry
    return apply(project, labels, templates_dir, lang, entries, shown_as, problems)


def _parse(data: bytes, at) -> etree._Element:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError([at(line, col, "(XLIFF)", "the file is not UTF-8",
                               "save it as UTF-8 in your translation tool")]) from None
    declared = _ENCODING.match(text)
    if declared and declared.group(1).lower().replace("-", "") != "utf8":
        raise ContentError([at(1, declared.start(1) + 1, "(XLIFF)", f"the file declares the encoding"
                               f" '{declared.group(1)}'", "save it as UTF-8 in your translation tool")])
    found = _DECLARATION.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise ContentError([at(line, col, "(XLIFF)", f"a <!{found.group(1)}> declaration is not allowed"
                               " (entities can read files or expand without end)",
                               "delete the DOCTYPE; XLIFF 2 needs none")])
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position and exc.position[0] else (1, 1)
        reason = FORBIDDEN_CHARACTER.sub("?", " ".join(str(exc.msg).split()))
        reason = re.sub(r",? line \d+, column \d+$", "", reason)
        reason = reason if len(reason) <= 100 else reason[:99] + "…"
        raise ContentError([at(line, max(col, 1), "(XLIFF)", f"cannot read the XLIFF file: {reason}",
                               "open and save it again in your translation tool, or export it again")]) from None
    return root


def _entry(unit, context: str, at) -> tuple[Entry | None, list[Problem]]:
    segments = list(unit.iterchildren(_q("segment")))
    if len(segments) != 1:
        return None, [at(unit.sourceline, 1, context, f"the unit has {len(segments)} segments, not 1",
                         "join the unit's segments in your translation tool: a unit is printed as one text")]
    segment = segments[0]
    source, target = segment.find(_q("source")), segment.find(_q("target"))
    problems = []
    for element in (source, target):
        if element is None:
            continue
        inner = next(element.iterchildren(), None)
        if inner is not None:
            name = etree.QName(inner).localname if isinstance(inner.tag, str) else "markup"
            problems.append(at(inner.sourceline, 1, context, f"<{name}> inside <{etree.QName(element).localname}>:"
                               " inline markup is not kept", "write plain text; formatting comes from the templates"))
    if problems or source is None or target is None or not (target.text or ""):
        return None, problems
    state = segment.get("state", "initial")
    if state not in ("initial", *STATUS_OF):
        return None, [at(segment.sourceline, 1, context, f"unknown state '{state}'",
                         "use initial, translated, reviewed or final")]
    meta = {"status": STATUS_OF.get(state, "draft")}
    for item in unit.iterfind(f"{_q('metadata', MDA)}/{_q('metaGroup', MDA)}/{_q('meta', MDA)}"):
        if item.getparent().get("category") == REVIEW_GROUP and item.get("type") in ("reviewer", "reviewed"):
            meta[item.get("type")] = item.text or ""
    lacking = [name for name in ("reviewer", "reviewed") if not meta.get(name)]
    if meta["status"] != "draft" and lacking:
        return None, [at(segment.sourceline, 1, context, f"state '{state}' needs the reviewer and the review date",
                         f'add <mda:metaGroup category="{REVIEW_GROUP}"> with <mda:meta type="reviewer"> and'
                         ' <mda:meta type="reviewed"> (YYYY-MM-DD) to the unit, or set state="translated"')]
    bad = FORBIDDEN_CHARACTER.search(target.text)
    if bad:  # XML 1.1 or a character reference can carry what no output can print
        return None, [at(target.sourceline, 1, context, f"{describe_character(bad.group())} is not allowed",
                         "delete it; no handout, poster or deck can print it")]
    return Entry(context, source.text or "", target.text, state == "initial", meta, target.sourceline or 1,
                 reviewed_field='<mda:meta type="reviewed">'), []
