"""QR codes as vector SVG, drawn locally: no service sees the address."""

from __future__ import annotations


def qr_data_uri(address: str) -> str:
    """A QR code for `address` as an SVG data URI that scales to any box the template gives it.

    Black on white with the standard four-module quiet zone, whatever the
    brand colours: phone cameras read that most reliably.
    """
    import segno

    code = segno.make(address, error="m", micro=False)
    return code.svg_data_uri(scale=1, border=4, dark="#000000", light="#ffffff", omitsize=True)
