"""python-pptx with its XPath expressions compiled once per process.

python-pptx finds placeholders, text bodies and properties through
`BaseOxmlElement.xpath`, which hands lxml the expression as a string, so lxml
compiles it again on every call: some 1,600 calls a deck, a third of its
render time. `lxml.etree.XPath` objects evaluate the same expressions with
the same namespaces and return the same results; keeping one per expression
takes that third away (the same remedy as python-docx issue #342). The
expressions are literals in python-pptx's and our code, so the cache stays
small. Importing this module applies it; the method it replaces is kept.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from pptx.oxml.ns import _nsmap
from pptx.oxml.xmlchemy import BaseOxmlElement

_uncompiled = BaseOxmlElement.xpath


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=_nsmap)


def _xpath(self, xpath_str: str):
    return _compiled(xpath_str)(self)


_xpath.__doc__ = _uncompiled.__doc__
BaseOxmlElement.xpath = _xpath
