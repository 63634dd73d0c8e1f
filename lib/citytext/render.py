"""Rendering of a run for readers: HTML pages, the bundled font, the index.

What belongs here: turning executed notebooks into standalone HTML (code
hidden except the parameters, figures embedded, tables working offline), the
CSS that points pages at the report's Chinese font, the font subset cut to
the characters the pages use, and ``index.html``. Executing notebooks and the
run's bookkeeping stay in :mod:`citytext.runner`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import nbformat

from citytext import plots

#: Code cells with one of these tags keep their source in the rendered page.
SHOWN_TAGS = {"parameters", "injected-parameters", "show-input"}


def render_html(notebook: Path, output: Path) -> Path:
    """Render an executed notebook to standalone HTML for readers.

    Code cells keep their source only when tagged ``parameters``,
    ``injected-parameters`` or ``show-input``; figures are embedded as data
    URIs and interactive tables carry their JavaScript inline, so the page
    works offline.

    Args:
        notebook: Executed notebook.
        output: HTML file to write.

    Returns:
        ``output``.
    """
    from nbconvert import HTMLExporter

    # nbconvert warns on figures without alt text; that is not the reader's concern.
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and not SHOWN_TAGS & set(
            cell.metadata.get("tags", [])
        ):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": notebook_title(nb)}}
    )
    body = body.replace("</head>", font_css("../fonts/") + "</head>", 1)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(body, encoding="utf-8")
    return output


FONT_FILE = "NotoSansSC-citytext.woff"
FONT_STACK = (
    '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "citytext CJK", sans-serif'
)


def font_css(prefix: str) -> str:
    """Return a ``<style>`` block using the report's bundled Chinese font.

    System CJK fonts come first; the bundled subset (see :func:`write_font`)
    is the fallback, so pages render Chinese on a machine without any. Code
    keeps a monospace font, with the CJK fonts behind it for Chinese
    characters (the template's own rules are overridden, hence
    ``!important``).

    Args:
        prefix: Relative URL of the report's ``fonts/`` folder from the page.
    """
    # The subset holds CJK glyphs only, so Latin code text falls through to the
    # monospace fonts; browsers do not fall back past an installed monospace
    # font to a web font, hence the CJK subset first.
    mono = '"citytext CJK", "DejaVu Sans Mono", Menlo, Consolas, monospace'
    return (
        '<style>@font-face{font-family:"citytext CJK";'
        f'src:url("{prefix}{FONT_FILE}") format("woff");}}'
        "body,.jp-Notebook,.jp-RenderedHTMLCommon,table,td,th"
        f"{{font-family:{FONT_STACK} !important;}}"
        "code,pre,kbd,samp,.jp-RenderedHTMLCommon code,.jp-RenderedHTMLCommon pre,"
        f".highlight pre,.jp-OutputArea pre{{font-family:{mono} !important;}}"
        "</style>"
    )


def write_font(run_dir: Path) -> Path:
    """Write the bundled font, cut to the characters the run's pages use.

    The full Noto Sans SC file is 8 MB; the subset holds only the glyphs
    of the characters in ``*.html`` (a few hundred KB), so the report
    folder stays small enough to share.

    Returns:
        The written font file.
    """
    from fontTools import subset

    chars = set()
    for page in run_dir.rglob("*.html"):
        chars.update(page.read_text(encoding="utf-8"))
    cjk = sorted(c for c in chars if ord(c) > 0x2E7F)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    font = subset.load_font(str(plots.cjk_font_path()), options)
    sub = subset.Subsetter(options)
    sub.populate(text="".join(cjk))
    sub.subset(font)
    out = run_dir / "fonts" / FONT_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(out), options)
    return out


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """Return the first markdown heading of a notebook (``citytext`` if none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "citytext"


def write_index(run_dir: Path, run_info: dict[str, Any]) -> Path:
    """Write ``index.html`` linking every rendered page, with the run's facts.

    Every value is HTML-escaped (Jinja2 autoescape): place names and titles
    come from the corpus.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("citytext", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    page = env.get_template("index.html.j2").render(
        run=run_info, font_css=Markup(font_css("fonts/"))
    )
    out = run_dir / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
