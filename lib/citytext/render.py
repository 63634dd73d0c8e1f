"""Rendering of a run for readers: HTML pages, shared assets, the font, the index.

What belongs here: turning executed notebooks into HTML pages (code hidden,
parameters shown as a small table, ``lang="zh-CN"``), the run's shared
``assets/`` folder (one copy of the notebook stylesheet, the DataTables
bundle and the Chinese font subset, referenced relatively by every page, so
that pages are small and open from ``file://`` with no network), and
``index.html``. Executing notebooks and the run's bookkeeping stay in
:mod:`citytext.execution` and :mod:`citytext.runner`.

No page refers to anything on the network: nbconvert's stock template loads
require.js and MathJax from a CDN and inlines 260 KB of CSS into every page;
the ``citytext`` template (``templates/nbconvert/citytext``) replaces its head
with a link to ``assets/notebook.css``.
"""

from __future__ import annotations

import ast
import copy
import html
import logging
import re
from pathlib import Path
from typing import Any

import nbformat

from citytext import numfmt, params, plots, report

#: Code cells with this tag keep their source in the rendered page.
SHOWN_TAGS = {"show-input"}
#: Cells whose source becomes the parameters table.
PARAMETER_TAGS = ("parameters", "injected-parameters")
#: Parameters the runner sets itself; not shown to readers.
HIDDEN_PARAMS = {"run_dir"}
ASSETS_DIR = "assets"
NOTEBOOK_CSS = "notebook.css"
FONT_FILE = "NotoSansSC-citytext.woff"
FONT_STACK = (
    '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "citytext CJK", sans-serif'
)
TEMPLATES = Path(__file__).parent / "templates"
#: Relative URL of the assets folder from a page in ``html/`` or ``notebooks/``.
PAGE_ASSETS = f"../{ASSETS_DIR}"
_EXTRA_CSS = """
.citytext-nav { max-width: 1200px; margin: 0.5em auto 0; font-size: 0.9em; }
table.citytext-params, table.citytext-summary { border-collapse: collapse;
  margin: 0.5em 0 1em; font-size: 0.9em; }
table.citytext-params td, table.citytext-params th, table.citytext-summary td,
table.citytext-summary th { border: 1px solid #ddd; padding: 0.2em 0.6em;
  text-align: left; vertical-align: top; }
table.citytext-params th, table.citytext-summary th { background: #f4f4f4; }
table.citytext-params caption { text-align: left; font-weight: bold; }
p.citytext-cut { color: #555; font-size: 0.9em; }
img.citytext-figure { max-width: 100%; height: auto; }
"""


# --------------------------------------------------------------------------
# Shared assets
# --------------------------------------------------------------------------
def font_css(prefix: str) -> str:
    """Return CSS using the report's bundled Chinese font.

    System CJK fonts come first; the bundled subset (see :func:`write_font`)
    is the fallback, so pages render Chinese on a machine without any. Code
    keeps a monospace font, with the CJK fonts behind it for Chinese
    characters (the template's own rules are overridden, hence
    ``!important``).

    Args:
        prefix: Relative URL of the folder holding the font, ending in ``/``.
    """
    # The subset holds CJK glyphs only, so Latin code text falls through to the
    # monospace fonts; browsers do not fall back past an installed monospace
    # font to a web font, hence the CJK subset first.
    mono = '"citytext CJK", "DejaVu Sans Mono", Menlo, Consolas, monospace'
    return (
        '@font-face{font-family:"citytext CJK";'
        f'src:url("{prefix}{FONT_FILE}") format("woff");}}\n'
        "body,.jp-Notebook,.jp-RenderedHTMLCommon,table,td,th"
        f"{{font-family:{FONT_STACK} !important;}}\n"
        "code,pre,kbd,samp,.jp-RenderedHTMLCommon code,.jp-RenderedHTMLCommon pre,"
        f".highlight pre,.jp-OutputArea pre{{font-family:{mono} !important;}}\n"
    )


def notebook_css() -> str:
    """Return the stylesheet every notebook page links to.

    nbconvert's lab template inlines its stylesheets into each page; they are
    taken from one render of an empty notebook, so the pages look exactly as
    the stock template makes them, plus the report font and a few rules for
    the report's own elements.
    """
    from nbconvert import HTMLExporter

    logging.getLogger("traitlets").setLevel(logging.ERROR)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(
        nbformat.v4.new_notebook()
    )
    styles = re.findall(r"<style[^>]*>(.*?)</style>", body, flags=re.S)
    return "\n".join([*styles, font_css(""), _EXTRA_CSS])


def write_assets(run_dir: Path) -> list[Path]:
    """Write the shared stylesheet and table bundle into ``run_dir/assets``.

    The font subset is written last, by :func:`write_font`, once every page
    exists.

    Returns:
        The files written.
    """
    folder = Path(run_dir) / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        NOTEBOOK_CSS: notebook_css(),
        report.TABLES_JS: report.tables_bundle_js(),
        report.TABLES_CSS: report.tables_bundle_css(),
    }
    out = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def write_font(run_dir: Path) -> Path:
    """Write the bundled font, cut to the characters the run's pages use.

    The full Noto Sans SC file is 8 MB; the subset holds only the glyphs of
    the characters in the run's pages (a few hundred KB), one file for all.

    Returns:
        The written font file.
    """
    from fontTools import subset

    chars: set[str] = set()
    for page in sorted(Path(run_dir).rglob("*.html")):
        chars.update(page.read_text(encoding="utf-8"))
    cjk = sorted(c for c in chars if ord(c) > 0x2E7F)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    font = subset.load_font(str(plots.cjk_font_path()), options)
    sub = subset.Subsetter(options)
    sub.populate(text="".join(cjk))
    sub.subset(font)
    out = Path(run_dir) / ASSETS_DIR / FONT_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(out), options)
    return out


# --------------------------------------------------------------------------
# Notebook pages
# --------------------------------------------------------------------------
def show_value(value: Any) -> str:
    """Return a parameter value as a reader reads it (no raw dicts or lists).

    Strings as they are (``""`` as "(empty)"), numbers via
    :func:`citytext.numfmt.readable`, lists joined with commas, mappings as
    ``key: value; …`` ("(none)" when empty).
    """
    if isinstance(value, str):
        return value if value else "(empty)"
    if isinstance(value, bool) or value is None:
        return str(value).lower() if value is not None else "(none)"
    if isinstance(value, int | float):
        return numfmt.readable(value)
    if isinstance(value, dict):
        if not value:
            return "(none)"
        return "; ".join(f"{show_value(k)}: {show_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return ", ".join(show_value(v) for v in value) if value else "(none)"
    return str(value)


def _injected_values(source: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return values
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    return values


def parameters_table(nb: nbformat.NotebookNode, name: str) -> str | None:
    """Return the notebook's parameters as a small HTML table (escaped).

    One row per declared parameter: its name, the value this run used (the
    injected one, else the default, marked "set for this run" when injected)
    and the declaration's comment.

    Returns:
        The table, or None when the notebook declares no parameters.
    """
    declared = injected = None
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code":
            continue
        if "parameters" in tags:
            declared = cell.source
        elif "injected-parameters" in tags:
            injected = cell.source
    if declared is None:
        return None
    try:
        specs = params.specs_from_source(declared, name)
    except (params.ParameterError, SyntaxError):
        return None
    given = _injected_values(injected or "")
    rows = []
    for spec in specs:
        if spec.name in HIDDEN_PARAMS:
            continue
        value = given.get(spec.name, spec.default)
        note = " <small>(set for this run)</small>" if spec.name in given else ""
        rows.append(
            f"<tr><th><code>{html.escape(spec.name)}</code></th>"
            f"<td>{html.escape(show_value(value))}{note}</td>"
            f"<td>{html.escape(spec.help)}</td></tr>"
        )
    return (
        '<table class="citytext-params"><caption>Parameters</caption>'
        "<tr><th>parameter</th><th>value</th><th>meaning</th></tr>"
        + "".join(rows)
        + "</table>"
    )


_FALLBACK = re.compile(
    r'\n?<div id="(itables_[\w-]+)_fallback">.*?'
    r'<script>document\.getElementById\("\1"\)\?\.removeAttribute\("hidden"\);'
    r'document\.getElementById\("\1_fallback"\)\?\.setAttribute\("hidden", '
    r'"hidden"\);</script>',
    re.S,
)
_DATA_JSON = re.compile(r'"data_json": "((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"(\\+)u([0-9a-fA-F]{4})")


def _unescape_twice_escaped(match: re.Match[str]) -> str:
    run, code = match.group(1), int(match.group(2), 16)
    # Inside data_json (a JSON string within the page's JSON) a character
    # escape is two backslashes; four are a backslash of the text itself.
    if len(run) % 4 == 2 and code >= 0x80 and not 0xD800 <= code <= 0xDFFF:
        return run[:-2] + chr(code)
    return match.group(0)


def compact_table_html(text: str) -> str:
    r"""Shrink an itables output for a page without changing what it shows.

    Drops the static preview of the first rows (shown only until the script
    runs, which it always does in a page) and writes the table data's
    non-ASCII characters as UTF-8 instead of ``\\uXXXX`` escapes, which
    take seven bytes per Chinese character instead of three.
    """
    if 'id="itables_' not in text:
        return text
    text = _FALLBACK.sub("", text)
    text = re.sub(r'(<table id="itables_[\w-]+")\s+hidden="hidden"', r"\1", text)
    return _DATA_JSON.sub(
        lambda m: (
            '"data_json": "' + _ESCAPE.sub(_unescape_twice_escaped, m.group(1)) + '"'
        ),
        text,
    )


def _page_output(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    shown = output.get("data", {}).get("text/html")
    if not isinstance(shown, str) or 'id="itables_' not in shown:
        return output
    output = copy.deepcopy(output)
    output["data"]["text/html"] = compact_table_html(shown)
    return output


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """Return the first markdown heading of a notebook (``citytext`` if none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "citytext"


_FOCUSABLE = re.compile(
    r'<div class="([^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*)"'
)
_IMG_NO_ALT = re.compile(r"<img(?![^>]*\balt=)")


def _page_exporter_class() -> type:
    """Return nbconvert's HTML exporter without its BeautifulSoup pass.

    ``HTMLExporter.from_notebook_node`` parses every page it renders with
    BeautifulSoup only to add ``tabindex="0"`` to cell wrappers and a default
    ``alt`` to images, and writes the page out again: about a tenth of a
    second for a profile page, more than the template itself. The two
    attributes are added here with two regular expressions on the
    template's own output instead.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):  # noqa: D102
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter(
                "highlight_code",
                self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
                ),
            )
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata,
                    parent=self,
                    resources=resources,
                ),
            )
            html, resources = TemplateExporter.from_notebook_node(
                self, nb, resources, **kw
            )
            html = _FOCUSABLE.sub(r'<div class="\1" tabindex="0"', html)
            html = _IMG_NO_ALT.sub('<img alt=""', html)
            return html, resources

    return PageExporter


class PageRenderer:
    """Render executed notebooks to pages; one exporter reused for every page.

    Building nbconvert's exporter (template lookup, Jinja environment) costs
    more than rendering a small page, so a run keeps one per process.
    """

    def __init__(self, assets: str = PAGE_ASSETS):
        # nbconvert warns on figures without alt text; not the reader's concern.
        logging.getLogger("traitlets").setLevel(logging.ERROR)
        self.assets = assets
        self.exporter = _page_exporter_class()(
            template_name="citytext",
            extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
        )
        self.exporter.exclude_input_prompt = True
        self.exporter.exclude_output_prompt = True

    def page_notebook(
        self, nb: nbformat.NotebookNode, name: str
    ) -> nbformat.NotebookNode:
        """Return the notebook as the page shows it (the input is not changed).

        Code is hidden except in cells tagged ``show-input``; the parameter
        cells become one table placed where the declarations were.
        """
        page = copy.copy(nb)
        table = parameters_table(nb, name)
        cells = []
        for cell in nb.cells:
            tags = set(cell.metadata.get("tags", []))
            if cell.cell_type == "code" and tags & set(PARAMETER_TAGS):
                if table is not None and "parameters" in tags:
                    cells.append(
                        nbformat.v4.new_raw_cell(
                            table, metadata={"citytext": "parameters"}
                        )
                    )
                continue
            if cell.cell_type == "code":
                cell = copy.copy(cell)
                cell.outputs = [_page_output(o) for o in cell.get("outputs", [])]
                if not SHOWN_TAGS & tags:
                    cell.metadata = copy.deepcopy(cell.metadata)
                    cell.metadata.setdefault("transient", {})["remove_source"] = True
            cells.append(cell)
        page.cells = cells
        return page

    def render(self, nb: nbformat.NotebookNode, output: Path, name: str) -> Path:
        """Write the page of an executed notebook.

        Args:
            nb: The executed notebook.
            output: HTML file to write.
            name: Notebook stem (for messages).

        Returns:
            ``output``.
        """
        body, _ = self.exporter.from_notebook_node(
            self.page_notebook(nb, name),
            resources={
                "metadata": {"name": notebook_title(nb)},
                "citytext_assets": self.assets,
            },
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(body, encoding="utf-8")
        return output


def slim_notebook(nb: nbformat.NotebookNode, page: str) -> int:
    """Replace the interactive-table outputs of an executed notebook by a note.

    A report with hundreds of profiles would otherwise keep every table's
    data twice, in the page and in the notebook; the table payload is also
    only shown by Jupyter for a trusted notebook. The note names the page
    that shows the table; re-running the notebook brings the tables back.
    Everything else (text, figures, execution counts, papermill's metadata)
    stays.

    Args:
        nb: The executed notebook (changed in place).
        page: Relative URL of the notebook's page, e.g. ``../html/x.html``.

    Returns:
        The number of outputs replaced.
    """
    note = (
        f'<p><em>Interactive table: see <a href="{html.escape(page)}">'
        f"{html.escape(Path(page).name)}</a>, or re-run this notebook.</em></p>"
    )
    replaced = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            shown = data.get("text/html", "")
            if 'id="itables_' in shown and "ITable(" in shown:
                output["data"] = {
                    "text/html": note,
                    "text/plain": "(interactive table)",
                }
                replaced += 1
    return replaced


def render_html(notebook: Path, output: Path) -> Path:
    """Render an executed notebook file to its page (see :class:`PageRenderer`)."""
    nb = nbformat.read(str(notebook), as_version=4)
    return PageRenderer().render(nb, output, Path(notebook).stem)


# --------------------------------------------------------------------------
# Index
# --------------------------------------------------------------------------
def write_index(run_dir: Path, run_info: dict[str, Any]) -> Path:
    """Write ``index.html`` linking every rendered page, with the run's facts.

    Every value is HTML-escaped (Jinja2 autoescape): place names and titles
    come from the corpus. The list of profiles is a searchable table when the
    shared table bundle is there.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("citytext", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["show"] = show_value
    env.filters["readable"] = numfmt.readable
    from itables import javascript as js

    page = env.get_template("index.html.j2").render(
        run=run_info,
        assets=ASSETS_DIR,
        tables_js=report.TABLES_JS,
        tables_css=report.TABLES_CSS,
        itables_key=js._itables_underscore_version(),
    )
    out = Path(run_dir) / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
