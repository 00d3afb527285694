"""An element's own language in the PDF's structure tree.

WeasyPrint 70 writes the document's language (/Lang in the catalog) but not
the `lang` of an element inside it. A translation that shows a passage in
the source language (a marked fallback) tags that passage's <span lang>, so
that a screen reader switches voice and a spell-checker leaves it alone
(PDF/UA-1, ISO 14289-1 7.2): this gives its structure element /Lang, which
its marked content inherits. WeasyPrint builds the tree in one recursive
function; it is wrapped once per process, the elements it makes unchanged
but for the added key.
"""

from __future__ import annotations

import functools

_ROOTS = ("html", "body")  # their language is the document's, already in the catalog


def _own_lang(box) -> str | None:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in _ROOTS or not hasattr(element, "get"):
        return None
    return element.get("lang") or None


def install() -> None:
    import pydyf
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "publisher_lang", False):
        return
    original = tags._build_box_tree

    @functools.wraps(original)
    def build_box_tree(box, parent, *args):
        lang = _own_lang(box)
        for element in original(box, parent, *args):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    build_box_tree.publisher_lang = True
    tags._build_box_tree = build_box_tree  # the recursion looks the name up here, so children get it too
