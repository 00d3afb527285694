"""A page's phone link dials the number its text shows."""

from __future__ import annotations

import pytest

from publisher.targets.web import tel_href


@pytest.mark.parametrize("phone, href", [
    ("+44 20 7946 0000", "tel:+442079460000"),
    ("+44 (0)20 7946 0000 extension 12", "tel:+442079460000"),  # no trunk 0 abroad; an extension is not dialled
    ("0999 111 222", "tel:0999111222"),
    ("(555) 010-0100", "tel:5550100100"),
    ("٠١٢ ٣٤٥", "tel:012345"),  # Arabic-Indic digits dial as the digits they are
])
def test_the_tel_link_holds_the_digits_to_dial(phone, href):
    assert tel_href(phone) == href
