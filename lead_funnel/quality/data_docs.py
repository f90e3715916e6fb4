"""GX Data Docs that work offline: the site GX writes loads Bootstrap, jQuery, bootstrap-table and
Font Awesome from CDNs and fills its index tables with JavaScript, so opened without a network it
is unstyled and lists no validation result. After GX writes the site this module

* removes every CDN stylesheet and script (and the inline scripts that need them), remote images
  and the favicon link from each page, and links a local stylesheet instead
  (``static/styles/lead_funnel_offline.css``, shipped in this package), so every page is styled
  and makes no request beyond the site's own files;
* writes ``index.html`` as a static page: one row per validation result (data asset, suite,
  status, checks evaluated / failed, link to its page) and one link per expectation suite.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

OFFLINE_CSS = "lead_funnel_offline.css"
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>\s*", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.IGNORECASE | re.DOTALL)
_EXTERNAL_IMG = re.compile(r"<img\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)
# GX links the favicon one folder short on validation pages (a request that fails): dropped.
_ICON_LINK = re.compile(r"<link\b[^>]*\brel=\"shortcut icon\"[^>]*>\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ValidationEntry:
    """One validation result as the index lists it."""

    suite_name: str
    data_asset: str
    success: bool
    evaluated: int
    unsuccessful: int
    run_name: str


def offline_page(text: str, css_href: str) -> str:
    """A GX page without CDN stylesheets, scripts or remote images, linking the local stylesheet."""
    text = _EXTERNAL_LINK.sub("", text)
    text = _SCRIPT.sub("", text)
    text = _EXTERNAL_IMG.sub("", text)
    text = _ICON_LINK.sub("", text)
    link = f'<link rel="stylesheet" href="{css_href}">'
    if "</head>" in text:
        return text.replace("</head>", f"{link}\n</head>", 1)
    return link + text


def _css_href(page: Path, docs_dir: Path) -> str:
    return Path(os.path.relpath(docs_dir / "static" / "styles" / OFFLINE_CSS, page.parent)).as_posix()


def validation_pages(docs_dir: Path) -> dict[str, Path]:
    """Suite name -> its latest validation result page (validations/.../<suite>.html)."""
    pages: dict[str, Path] = {}
    for page in sorted((docs_dir / "validations").rglob("*.html")):
        pages[page.stem] = page
    return pages


def suite_pages(docs_dir: Path) -> dict[str, Path]:
    """Suite name -> its expectation suite page (expectations/<suite with / for .>.html)."""
    folder = docs_dir / "expectations"
    return {
        ".".join(page.relative_to(folder).with_suffix("").parts): page
        for page in sorted(folder.rglob("*.html"))
    }


def _row(entry: ValidationEntry, page: Path | None, docs_dir: Path) -> str:
    status = "passed" if entry.success else "failed"
    icon = "fa-check-circle text-success" if entry.success else "fa-times text-danger"
    name = html.escape(entry.suite_name)
    link = (
        f'<a href="{html.escape(page.relative_to(docs_dir).as_posix())}">{name}</a>'
        if page is not None
        else name
    )
    return (
        f'<tr class="validation-result" data-suite="{name}" data-status="{status}">'
        f"<td>{html.escape(entry.data_asset)}</td><td>{link}</td>"
        f'<td><i class="fas {icon}" aria-hidden="true"></i> {status}</td>'
        f"<td>{entry.evaluated}</td><td>{entry.unsuccessful}</td><td>{html.escape(entry.run_name)}</td></tr>"
    )


def index_html(entries: list[ValidationEntry], docs_dir: Path) -> str:
    """The static index: validation results and expectation suites, no JavaScript."""
    pages = validation_pages(docs_dir)
    rows = "\n".join(_row(e, pages.get(e.suite_name), docs_dir) for e in entries)
    suites = "\n".join(
        f'<li><a href="{html.escape(p.relative_to(docs_dir).as_posix())}">{html.escape(name)}</a></li>'
        for name, p in suite_pages(docs_dir).items()
    )
    failed = sum(not e.success for e in entries)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Data Docs: raw data validation</title>
<link rel="stylesheet" href="static/styles/{OFFLINE_CSS}">
</head>
<body>
<div class="container-fluid">
<h1>Raw data validation</h1>
<p class="lead">{len(entries)} validation results, {failed} failed. Written by
<code>lead-funnel validate</code> (Great Expectations, one suite per raw table: schema, volume, rows).
The pages can show raw example values: keep them with the engineers.</p>
<h2 id="Validation-Results">Validation results</h2>
<table class="table table-sm ge-index-page-validation-results-table">
<thead><tr><th>Data asset</th><th>Expectation suite</th><th>Status</th><th>Checks</th><th>Failed</th>
<th>Run</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2 id="Expectation-Suites">Expectation suites</h2>
<ul class="suites">
{suites}
</ul>
</div>
</body>
</html>
"""


def make_offline(docs_dir: Path, entries: list[ValidationEntry]) -> Path:
    """Rewrite the site GX wrote in ``docs_dir`` to work offline; return its index."""
    styles = docs_dir / "static" / "styles"
    styles.mkdir(parents=True, exist_ok=True)
    css = files("lead_funnel.quality").joinpath("static").joinpath(OFFLINE_CSS).read_text(encoding="utf-8")
    (styles / OFFLINE_CSS).write_text(css, encoding="utf-8")
    for page in sorted(docs_dir.rglob("*.html")):
        if page.parent == docs_dir and page.name == "index.html":
            continue
        text = page.read_text(encoding="utf-8")
        page.write_text(offline_page(text, _css_href(page, docs_dir)), encoding="utf-8")
    index = docs_dir / "index.html"
    index.write_text(index_html(entries, docs_dir), encoding="utf-8")
    return index
