"""Safe, readable display helpers for notebooks and their rendered HTML.

Corpus text is untrusted: scraped pages may carry ``<script>`` tags, event
handlers or Markdown that would change the page. Everything shown here is
escaped: tables go through itables with HTML escaping on (``allow_html`` off,
the library's default); prose built from corpus values goes through
:func:`esc` / :func:`md`.

Numbers are shown the way a reader writes them (:mod:`citytext.numfmt`:
``12,600``, ``99.6亿``, never ``9.960000e+09``); tables still sort by the
underlying value.

Notebook cells stay thin: a sentence about facts the library computed is
:func:`facts` (a note instead when there are none), a list of rows is
:func:`bullets`, and :func:`table` can pick columns and say what an empty
table means. A value that is undefined (``NaN``, ``None``) shows as ``n/a``
in every sentence, whatever its format.

Pages stay small: :func:`table` shows a large table as its top rows plus a
fixed-seed random sample, within a byte budget per page, says what it left
out and links the full CSV of the run directory.

Interactive tables need the DataTables bundle. In a notebook opened by hand
it is embedded once (itables' offline mode). When the runner executes a
notebook it sets ``CITYTEXT_ASSETS`` to the relative URL of the run's shared
``assets/`` folder; the page then loads the one shared copy instead of
carrying 700 KB of JavaScript itself.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from citytext import config, numfmt, plots

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")
#: Environment variable naming the shared assets folder (relative URL).
ASSETS_ENV = config.PAGE_ASSETS_ENV
#: File names of the shared table bundle inside the assets folder.
TABLES_JS = "itables.js"
TABLES_CSS = "itables.css"
#: Estimated bytes of table data a page may hold (rendered page <= 3 MB).
PAGE_BYTES = 2_000_000
#: Estimated bytes one table may hold unless the caller says otherwise.
TABLE_BYTES = 600_000
#: Rows one table shows at most unless the caller says otherwise.
TABLE_ROWS = 1_000
#: Estimated bytes a table may always use, however little the page has left.
MIN_TABLE_BYTES = 6_000
#: Leading rows always kept when a table is cut.
TOP_ROWS = 50
SAMPLE_SEED = 0

_state: dict[str, Any] = {"tables_ready": False, "bytes_left": PAGE_BYTES}


def init(*, interactive_tables: bool = True, page_bytes: int | None = None) -> None:
    """Prepare a notebook: CJK font, interactive tables, readable numbers.

    Args:
        interactive_tables: Load the DataTables bundle (itables) so
            :func:`table` renders searchable, sortable tables: embedded in
            the notebook, or as a reference to the run's shared assets when
            ``CITYTEXT_ASSETS`` is set.
        page_bytes: Estimated bytes of table data this page may hold in all
            (default :data:`PAGE_BYTES`); a profile page sets a smaller one.
    """
    plots.setup()
    pd.set_option("display.max_colwidth", 120)
    pd.set_option("display.width", 160)
    pd.set_option("display.float_format", numfmt.readable)
    if page_bytes is not None:
        _state["bytes_left"] = page_bytes
    if interactive_tables and not _state["tables_ready"]:
        _load_tables()
        _state["tables_ready"] = True


def reset() -> None:
    """Forget what this page has shown (a kernel about to run another notebook)."""
    _state.update(tables_ready=False, bytes_left=PAGE_BYTES)


def _load_tables() -> None:
    import itables

    assets = config.page_assets()
    if not assets:
        itables.init_notebook_mode(all_interactive=False, connected=False)
        return
    from IPython.display import HTML, display

    # The shared bundle defines what itables' offline tables wait for; the
    # table outputs themselves are the same as in offline mode.
    itables.javascript._CONNECTED = False
    itables.javascript.set_itables_repr_html_methods(False)
    base = esc(assets.rstrip("/"))
    display(
        HTML(
            f'<link rel="stylesheet" href="{base}/{TABLES_CSS}">'
            f'<script src="{base}/{TABLES_JS}"></script>'
        )
    )


def tables_bundle_js() -> str:
    """Return the shared script that loads the DataTables bundle for every page.

    A classic script (pages opened from ``file://`` may not import modules
    from files): it holds the bundle's source and imports it as a module from
    a ``blob:`` URL, exactly as itables' offline mode does inline.
    """
    import json

    import itables
    from itables import javascript as js

    bundle = itables.options.dt_bundle
    source = bundle.read_text(encoding="utf-8")
    key = js._itables_underscore_version()
    ready = js._itables_ready_event()
    return (
        "(function () {\n"
        f"  if (window.{key}) return;\n"
        f"  const src = {json.dumps(source)};\n"
        "  const url = URL.createObjectURL("
        "new Blob([src], { type: 'application/javascript' }));\n"
        f"  window.{key} = import(url);\n"
        f"  window.{key}.then(() => {{ URL.revokeObjectURL(url); "
        f"window.dispatchEvent(new Event({json.dumps(ready)})); }});\n"
        "})();\n"
    )


def tables_bundle_css() -> str:
    """Return the DataTables stylesheet shared by every page."""
    import itables

    return itables.options.dt_bundle.with_suffix(".css").read_text(encoding="utf-8")


def esc(value: Any) -> str:
    """Escape a value for HTML (and so for Markdown rendered as HTML)."""
    return html.escape("" if value is None else str(value), quote=True)


def md_escape(value: Any) -> str:
    """Escape a value for inclusion in a Markdown cell: HTML and Markdown syntax."""
    return _MD_SPECIAL.sub(r"\\\1", esc(value))


class _NotAvailable:
    """An undefined value in a sentence: ``n/a`` whatever the format asked."""

    def __format__(self, spec: str) -> str:
        return NOT_AVAILABLE

    def __str__(self) -> str:
        return NOT_AVAILABLE


#: How a sentence shows an undefined value (``NaN`` or ``None``).
NOT_AVAILABLE = "n/a"


def _safe(value: Any) -> Any:
    """A value ready for a trusted template: escaped text, a number, or n/a."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _NotAvailable()
    return value if isinstance(value, int | float) else md_escape(value)


def _safe_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _safe(v) for k, v in values.items()}


def md(template: str, **values: Any) -> Any:
    """Display Markdown whose placeholders are filled with escaped values.

    Args:
        template: Markdown with ``{name}`` placeholders; the template itself is
            trusted (written by us), the values are not.
        **values: Values; strings are escaped, numbers formatted as given,
            ``NaN`` and ``None`` shown as ``n/a`` (any format spec).

    Returns:
        The ``IPython.display.Markdown`` object (displayed by the caller or by
        being the last expression of a cell).
    """
    from IPython.display import Markdown

    return Markdown(template.format(**_safe_values(values)))


def facts(
    template: str,
    values: Mapping[str, Any] | None,
    *,
    otherwise: str | None = None,
    **extra: Any,
) -> None:
    """Display a sentence about computed facts, or a note when there are none.

    The library's ``*_facts`` functions return a dict of the numbers and names a
    sentence needs, or ``None`` when there is nothing to say (no rows, no
    second year); the notebook keeps the wording.

    Args:
        template: Markdown with ``{name}`` placeholders (see :func:`md`).
        values: The facts, or ``None``.
        otherwise: Markdown shown as written when ``values`` is ``None``
            (nothing is shown when this is ``None`` too).
        **extra: Further values for the template (a place's name, say).
    """
    from IPython.display import Markdown, display

    if values is not None:
        display(md(template, **{**values, **extra}))
    elif otherwise is not None:
        display(Markdown(otherwise))


def bullets(template: str, rows: Any) -> None:
    """Display a Markdown list: one item per row, filled with the row's values.

    Args:
        template: One item's Markdown with ``{column}`` placeholders (escaped
            as in :func:`md`), without the leading ``-``.
        rows: A ``pandas.DataFrame``; nothing is shown when it has no rows.
    """
    from IPython.display import Markdown, display

    if rows is None or not len(rows):
        return
    items = [
        "- " + template.format(**_safe_values(row)) for row in rows.to_dict("records")
    ]
    display(Markdown("\n".join(items)))


def diffs(corpus: Path | str, doc_ids: Iterable[str], *, show: bool = True) -> None:
    """Show each document's unified diff, raw text against cleaned text.

    Re-cleans the documents (:func:`citytext.pipeline.document_diffs`), so it
    runs only when ``show`` is true.

    Args:
        corpus: The corpus directory the documents came from.
        doc_ids: Documents to show.
        show: Show the diffs (``False``: do nothing).
    """
    if not show:
        return
    from IPython.display import display

    from citytext import pipeline

    for doc_id, diff in pipeline.document_diffs(corpus, doc_ids).items():
        display(md("### {doc_id}", doc_id=doc_id))
        print(diff)


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    *,
    csv: str | None = None,
    source: str | None = None,
    max_rows: int = TABLE_ROWS,
    max_bytes: int = TABLE_BYTES,
    top: int = TOP_ROWS,
    page_length: int = 10,
    columns: list[str] | None = None,
    index: bool = False,
    empty: str | None = None,
    **options: Any,
) -> None:
    """Show ``df`` as a searchable, sortable table with escaped cells.

    A table too large for the page (more than ``max_rows`` rows, or more
    estimated bytes than ``max_bytes`` or half of what the page has left)
    shows its first ``top`` rows and a fixed-seed random sample of the rest,
    in their original order, under a note that says how many rows are left
    out and links the full CSV.

    Args:
        df: The table, in the order a reader should see it.
        caption: Caption shown above the table (escaped).
        csv: Run-directory file holding the full table (``"metrics.csv"``),
            linked from the note when rows are left out.
        source: For a table computed in the notebook (no CSV holds it), the
            run-directory file it is computed from, linked from the note
            instead.
        max_rows: Rows shown at most.
        max_bytes: Estimated bytes of table data shown at most.
        top: Leading rows always shown when the table is cut.
        page_length: Rows per page.
        columns: Columns shown, in this order (default: all).
        index: Show the index (a wide table's row names, e.g. the places) as
            its first column(s).
        empty: Markdown shown instead of the table when ``df`` has no rows
            (default: the empty table; ``""``: nothing at all).
        **options: Further itables options (``allow_html`` is refused).

    Raises:
        ValueError: If a caller tries to turn HTML escaping off.
    """
    if options.pop("allow_html", False):
        raise ValueError(
            "report.table never renders cell HTML: corpus text is untrusted"
        )
    import itables
    from IPython.display import HTML, Markdown, display

    if empty is not None and (df is None or df.empty):
        if empty:
            display(Markdown(empty))
        return
    if index:
        df = df.reset_index()
        df.columns.name = None
    if columns is not None:
        df = df[columns]
    init()
    budget = min(max_bytes, max(_state["bytes_left"] // 2, MIN_TABLE_BYTES))
    shown, cost = shown_rows(df, max_rows=max_rows, max_bytes=budget, top=top)
    _state["bytes_left"] = max(0, _state["bytes_left"] - cost)
    if len(shown) < len(df):
        note = _cut_note(len(df), len(shown), min(top, len(shown)), csv, source)
        display(HTML(note))
    # The animated logo shown while a table loads is 2.4 KB of SVG per table.
    options.setdefault("display_logo_when_loading", False)
    itables.show(
        numbers_for_display(shown),
        caption=esc(caption) if caption else None,
        maxRows=0,
        maxBytes=0,
        pageLength=page_length,
        classes="display compact",
        **options,
    )


def _cell_bytes(df: pd.DataFrame) -> pd.Series:
    """Estimate each row's bytes in the page (CJK is 7 bytes of escaped JSON).

    Text lengths are counted with one Python loop per column: pandas'
    ``astype(str).str.len()`` gives the same numbers about fifteen times
    slower, which a profile page with ten tables notices.
    """
    import numpy as np

    cost = np.full(len(df), 4 * max(len(df.columns), 1), dtype="int64")
    for col in df.columns:
        series = df[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            cost += 28
        else:
            lengths = (len(str(v)) for v in series.to_numpy())
            cost += np.fromiter(lengths, dtype="int64", count=len(series)) * 7
    return pd.Series(cost, index=df.index)


def shown_rows(
    df: pd.DataFrame, *, max_rows: int, max_bytes: int, top: int = TOP_ROWS
) -> tuple[pd.DataFrame, int]:
    """Choose the rows a page shows of ``df`` and estimate their bytes.

    The whole table when it fits; otherwise its first ``top`` rows and a
    random sample (seed :data:`SAMPLE_SEED`) of the others, in the original
    order, as many as fit in ``max_rows`` and ``max_bytes``.

    Returns:
        The rows to show and their estimated size in bytes.
    """
    if df.empty:
        return df, 0
    cost = _cell_bytes(df)
    if len(df) <= max_rows and int(cost.sum()) <= max_bytes:
        return df, int(cost.sum())
    positions = pd.RangeIndex(len(df))
    head = list(positions[: min(top, len(df))])
    rest = positions[len(head) :].to_series().sample(frac=1.0, random_state=SAMPLE_SEED)
    order = head + list(rest)
    running = cost.to_numpy()[order].cumsum()
    fits = int((running <= max_bytes).sum())
    keep = sorted(order[: max(1, min(fits, max_rows))])
    return df.iloc[keep], int(cost.to_numpy()[keep].sum())


def _cut_note(
    total: int, shown: int, top: int, csv: str | None, source: str | None = None
) -> str:
    sample = shown - top
    parts = [
        f'<p class="citytext-cut"><strong>{numfmt.readable(shown)} of '
        f"{numfmt.readable(total)} rows shown</strong>: the first "
        f"{numfmt.readable(top)}"
    ]
    if sample > 0:
        parts.append(
            f" and a random sample of {numfmt.readable(sample)} of the other "
            f"{numfmt.readable(total - top)} (fixed seed), in table order"
        )
    parts.append(f"; {numfmt.readable(total - shown)} rows are left out of this page.")
    if csv:
        href = esc("../" + csv)
        parts.append(f' The full table is <a href="{href}">{esc(csv)}</a>.')
    elif source:
        href = esc("../" + source)
        parts.append(f' The table is computed from <a href="{href}">{esc(source)}</a>.')
    else:
        parts.append(" The full table is among the run directory's CSV files.")
    return "".join(parts) + "</p>"


def numbers_for_display(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with numeric columns as floats, so every number is readable.

    itables writes integer columns as they are and formats float columns in
    Python with pandas' ``display.float_format``, which :func:`init` sets to
    :func:`citytext.numfmt.readable`: ``559.0`` shows as ``559``,
    ``9960000000`` as ``99.6亿``. Tables still sort by the value.
    """
    out = df
    for col in df.columns:
        series = df[col]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(
            series
        ):
            continue
        if pd.api.types.is_float_dtype(series) and series.dtype == "float64":
            continue
        finite = series.dropna()
        if len(finite) and finite.abs().max() >= 2**53:
            continue
        if out is df:
            out = df.copy()
        out[col] = series.astype("float64")
    return out


def stage_summary(info: dict[str, Any]) -> None:
    """Show a stage's counts as a small two-column table (scalars only).

    Args:
        info: What a ``pipeline.run_*`` function returned; nested values
            (per-file hashes, per-reason counts) are left to the stage's JSON.
    """
    from IPython.display import HTML, display

    rows = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(_scalar(v))}</td></tr>"
        for k, v in info.items()
        if isinstance(v, str | int | float | bool) and v != ""
    )
    display(HTML(f'<table class="citytext-summary">{rows}</table>'))


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return numfmt.readable(value)


def highlight_html(
    sentence: str, spans: Iterable[tuple[int, int]], escape: Any = None
) -> str:
    """Build HTML of a sentence with spans wrapped in ``<mark>``.

    Every piece of the (untrusted) sentence goes through ``escape``; only the
    ``<mark>`` tags are markup.

    Args:
        sentence: The sentence.
        spans: ``(start, end)`` offsets in the sentence; overlaps are skipped.
        escape: An HTML escaping function (default :func:`esc`).

    Returns:
        The HTML fragment.
    """
    escape = escape or esc
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos or end <= start:
            continue
        out.append(escape(sentence[pos:start]))
        out.append(f"<mark>{escape(sentence[start:end])}</mark>")
        pos = end
    out.append(escape(sentence[pos:]))
    return "".join(out)


def highlighted_sentences(metrics: pd.DataFrame, limit: int) -> str:
    """HTML of the first ``limit`` sentences with their quantities marked.

    Sentences come in (doc_id, sentence_id) order, each labelled with its
    place and document; every value from the corpus is escaped.

    Args:
        metrics: Rows of metrics.csv (``doc_id``, ``sentence_id``, ``city``,
            ``sentence``, ``start``, ``end``; offsets as integers).
        limit: Sentences shown at most.

    Returns:
        The HTML fragment (empty for no rows).
    """
    html_parts = []
    groups = metrics.groupby(["doc_id", "sentence_id"], sort=True)
    for (doc_id, _), g in list(groups)[:limit]:
        spans = zip(g["start"], g["end"], strict=True)
        body = highlight_html(g["sentence"].iloc[0], spans)
        label = esc(f"{g['city'].iloc[0]} · {doc_id}")
        html_parts.append(f"<p><small>{label}</small><br>{body}</p>")
    return "".join(html_parts)
