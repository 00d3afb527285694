"""HTML to PDF with WeasyPrint, reading nothing but the project's own files
(and the system's font configuration: no user's, see `_font_config.isolate`).

Shared by every PDF target. WeasyPrint is imported here, on first render, so
commands that render nothing (validate, schema, a no-op build) stay fast.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from publisher.errors import Problem, RenderError
from publisher.targets._font_config import font_config, isolate
from publisher.targets._page_limit import TooManyPages, page_limit


_layouts = 0  # layouts this process has made: what fitting costs, for the tests and the benchmark


def layouts_made() -> int:
    """How many times this process has laid out a document (whole or stopped early)."""
    return _layouts


def render_pdf(html: str, templates_dir: Path, shown_as: str) -> tuple[bytes, int]:
    """Render HTML whose relative URLs resolve in `templates_dir`, the only folder it may read."""
    document = lay_out(html, templates_dir, shown_as)
    return write_pdf(document), len(document.pages)


def write_pdf(document) -> bytes:
    """A laid-out document as tagged PDF/UA-1; the identifier is derived from the content."""
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True)


def lay_out(html: str, templates_dir: Path, shown_as: str, fonts: tuple | None = None,
            max_pages: int | None = None):
    """Lay out HTML into pages (a `weasyprint.Document`) without writing a PDF.

    Targets that must fit their content (handouts, posters) lay out several
    times, measure the pages, and write only the layout they keep. `fonts`, the
    page's @font-face faces as (family, weight, url), lets layouts share one
    font configuration per process (see `_font_config`); without it each
    layout loads the fonts afresh. With `max_pages`, a layout that needs more
    pages stops as soon as it starts the one too many and None is returned: a
    trial that cannot fit costs only the pages that do.
    """
    global _layouts
    _layouts += 1
    isolate()  # before WeasyPrint loads fontconfig, which it does on import
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    from publisher.targets import _pdf_lang
    _pdf_lang.install()

    root = templates_dir.resolve()

    class ProjectFetcher(URLFetcher):
        """Serves `file:` URLs inside the project; refuses the network and the rest of the disk."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme != "file":
                raise FatalURLFetchingError(f"refused to fetch {url}: templates may not use the network")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(root):
                raise FatalURLFetchingError(f"refused to read {path}: it is outside the templates folder")
            return super().fetch(url, headers)

    config = None if fonts is None else font_config(templates_dir, fonts)
    try:
        with page_limit(max_pages):
            return weasyprint.HTML(string=html, base_url=root.as_uri() + "/",
                                   url_fetcher=ProjectFetcher()).render(font_config=config)
    except TooManyPages:
        return None
    except FatalURLFetchingError as exc:
        raise RenderError([Problem(shown_as, 1, 1, "(template)", str(exc),
                                   "reference only files inside the templates folder")]) from None
