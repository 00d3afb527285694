"""A picture of a PDF's first page, for a gallery: drawn in this process by PDFium (pypdfium2).

The PNG's bytes depend on the pixels alone: Pillow writes no time, no
resolution and no text chunks unless asked, and the palette is reduced by
median cut without dithering, which is a pure function of the pixels (a
page of text and flat colours keeps its look in 64 colours at a third of
the size). PDFium ships inside the pypdfium2 wheel, so every machine with
the same wheel draws the same pixels.
"""

from __future__ import annotations

import io
from functools import cache

from publisher.errors import Problem, RenderError

COLOURS = 64


def first_page_png(pdf: bytes, width: int, path: str) -> tuple[bytes, tuple[int, int]]:
    """The first page drawn `width` pixels wide, as PNG bytes, and its size in pixels."""
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise RenderError([Problem(path, 1, 1, "(thumbnail)", f"the PDF it is drawn from cannot be read ({exc})",
                                   "build the PDF again (--force)")]) from None
    try:
        page = document[0]
        bitmap = page.render(scale=width / page.get_width(), draw_annots=True)
        image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    image = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), image.size


@cache
def renderer() -> str:
    """What draws the pictures, for their fingerprint: another PDFium may draw other pixels."""
    from importlib.metadata import version

    import pypdfium2.version as pdfium_version

    return f"pypdfium2 {version('pypdfium2')} pdfium {pdfium_version.PDFIUM_INFO} pillow {version('pillow')}"
