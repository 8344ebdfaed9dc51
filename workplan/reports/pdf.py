"""PDFs are drawn by WeasyPrint in a short-lived process of their own.

WeasyPrint loads Pango, its fonts and a large CSS engine: about 95 MiB that a web worker would
otherwise keep for the rest of its life after one PDF. Drawn in a child process, that memory
goes back to the system when the PDF is done, and a PDF that runs away is stopped at a limit
instead of holding the worker.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

# A chairmanship report at a hundred times the forum's size takes about 4 s.
PDF_SECONDS = 120


def _draw(html: str) -> bytes:
    """The PDF of a page, fetching nothing: no URL, no local file named in the data."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def draw_pdf(html: str) -> bytes:
    """The PDF of a rendered page, drawn in a fresh process that ends with it."""
    # spawn, not fork: a forked copy of a threaded web worker may inherit a held lock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_draw, html).result(timeout=PDF_SECONDS)
