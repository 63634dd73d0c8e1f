"""Safe display helpers for notebooks and their rendered HTML.

Corpus text is untrusted: scraped pages may carry ``<script>`` tags, event
handlers or Markdown that would change the page. Everything shown here is
escaped: tables go through itables with HTML escaping on (``allow_html`` off,
the library's default) and the DataTables bundle embedded offline, so a
rendered page works in a browser with no network; prose built from corpus
values goes through :func:`esc` / :func:`md`.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

from citytext import plots

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")
_initialised = False


def init(*, interactive_tables: bool = True) -> None:
    """Prepare a notebook: CJK font, offline interactive tables, pandas display.

    Args:
        interactive_tables: Load the offline DataTables bundle (itables) so
            :func:`table` renders searchable, sortable tables.
    """
    global _initialised
    plots.setup()
    pd.set_option("display.max_colwidth", 120)
    pd.set_option("display.width", 160)
    if interactive_tables and not _initialised:
        import itables

        itables.init_notebook_mode(all_interactive=False, connected=False)
        _initialised = True


def esc(value: Any) -> str:
    """Escape a value for HTML (and so for Markdown rendered as HTML)."""
    return html.escape("" if value is None else str(value), quote=True)


def md_escape(value: Any) -> str:
    """Escape a value for inclusion in a Markdown cell: HTML and Markdown syntax."""
    return _MD_SPECIAL.sub(r"\\\1", esc(value))


def md(template: str, **values: Any) -> Any:
    """Display Markdown whose placeholders are filled with escaped values.

    Args:
        template: Markdown with ``{name}`` placeholders; the template itself is
            trusted (written by us), the values are not.
        **values: Values; strings are escaped, numbers formatted as given.

    Returns:
        The ``IPython.display.Markdown`` object (displayed by the caller or by
        being the last expression of a cell).
    """
    from IPython.display import Markdown

    safe = {
        k: (v if isinstance(v, int | float) else md_escape(v))
        for k, v in values.items()
    }
    return Markdown(template.format(**safe))


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    *,
    max_rows: int = 50_000,
    page_length: int = 10,
    **options: Any,
) -> None:
    """Show ``df`` as a searchable, sortable table with escaped cells.

    Args:
        df: The table.
        caption: Caption shown above the table (escaped).
        max_rows: Rows embedded at most (the rest are cut by itables with a note).
        page_length: Rows per page.
        **options: Further itables options (``allow_html`` is refused).

    Raises:
        ValueError: If a caller tries to turn HTML escaping off.
    """
    if options.pop("allow_html", False):
        raise ValueError(
            "report.table never renders cell HTML: corpus text is untrusted"
        )
    import itables

    init()
    itables.show(
        _integral_floats_as_int(df),
        caption=esc(caption) if caption else None,
        maxRows=max_rows,
        maxBytes=0,
        pageLength=page_length,
        classes="display compact",
        **options,
    )


def _integral_floats_as_int(df: pd.DataFrame) -> pd.DataFrame:
    """Show float columns whose values are all whole numbers as integers.

    Totals such as 559.0 would otherwise be shown as ``5.590000e+02``.
    """
    out = df
    for col in df.columns:
        series = df[col]
        if not pd.api.types.is_float_dtype(series):
            continue
        finite = series.dropna()
        if (
            len(finite)
            and (finite == finite.round()).all()
            and finite.abs().max() < 2**53
        ):
            if out is df:
                out = df.copy()
            out[col] = series.astype("Int64")
    return out


def stage_summary(info: dict[str, Any]) -> None:
    """Show a stage's counts as a small two-column table (scalars only).

    Args:
        info: What a ``pipeline.run_*`` function returned; nested values
            (per-file hashes, per-reason counts) are left to the stage's JSON.
    """
    from IPython.display import HTML, display

    rows = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>"
        for k, v in info.items()
        if isinstance(v, str | int | float | bool) and v != ""
    )
    display(HTML(f'<table class="citytext-summary">{rows}</table>'))
