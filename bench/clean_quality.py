"""Cleaning quality on the development sets: body F1, titles and dates.

``python -m bench.clean_quality [--corpora DIR] [--loso] [--json FILE]``

Scores, side by side:

- ``text cleaner on raw/``: :func:`citytext.clean.clean_document` on the naive
  text dumps of ``web_pages_dev`` (what a scraper saves);
- ``trafilatura on html/``: trafilatura's main text, title and date from the
  same pages' HTML (the reference extractor);
- ``text cleaner on a text dump of html/``: the same cleaner on
  :func:`citytext.ingest.html_text` of the HTML (one line per block element);
- ``HTML input``: what :func:`citytext.ingest.html_document` keeps for the
  same HTML, cleaned (the project's HTML path: trafilatura's text, or the
  text dump when trafilatura returns little);
- the People's Daily articles of ``rmrb_2019_02`` (titles and dates only);
- the fresh held-out pages of ``tests/fixtures/clean_fresh`` (raw dumps only),
  annotated after the cleaner was built.

Measures. Body F1 is over character bigrams (multisets) of the text with
whitespace and punctuation removed, gold body against cleaned ``text``. A title
is right when ``difflib.SequenceMatcher(None, got, gold).ratio() >= 0.85``. A
date is right when ``YYYY-MM-DD`` is equal; only pages whose gold has a date
count. With ``--loso`` the line model is retrained without each page's source
(leave-one-source-out) before that source is cleaned. Held-out sources and
articles (see :mod:`bench.quality_data`) are scored apart.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import quality_data as qd

TITLE_MIN_RATIO = 0.85


def _norm(text: str) -> str:
    """Drop whitespace, punctuation and symbols."""
    return "".join(
        c
        for c in text
        if not c.isspace() and unicodedata.category(c)[0] not in {"P", "S", "Z"}
    )


def bigram_f1(got: str, gold: str) -> float:
    """Return the F1 of character-bigram multisets (normalised texts)."""
    a, b = _norm(got), _norm(gold)
    ga = Counter(a[i : i + 2] for i in range(len(a) - 1))
    gb = Counter(b[i : i + 2] for i in range(len(b) - 1))
    if not ga or not gb:
        return 1.0 if not ga and not gb else 0.0
    overlap = sum((ga & gb).values())
    return 2 * overlap / (sum(ga.values()) + sum(gb.values()))


def title_right(got: str, gold: str) -> bool:
    """Return whether a title matches the gold headline (ratio >= 0.85)."""
    got, gold = got.strip(), gold.strip()
    if not got or not gold:
        return False
    return difflib.SequenceMatcher(None, got, gold).ratio() >= TITLE_MIN_RATIO


@dataclass
class Score:
    """Accumulated scores of one system on one set."""

    f1: list[float] = field(default_factory=list)
    titles: int = 0
    n_titles: int = 0
    dates: int = 0
    n_dates: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, page: qd.Page, text: str | None, title: str, date: str) -> None:
        """Score one page."""
        if page.body is not None and text is not None:
            self.f1.append(bigram_f1(text, page.body))
        self.n_titles += 1
        ok_title = title_right(title, page.title)
        self.titles += ok_title
        ok_date = True
        if qd.is_date(page.date):
            self.n_dates += 1
            ok_date = date == page.date
            self.dates += ok_date
        if not (ok_title and ok_date):
            self.misses.append(f"{page.id}: title={title[:40]!r} date={date!r}")

    def row(self) -> dict[str, Any]:
        """Return the figures as a dict."""
        f1 = sum(self.f1) / len(self.f1) if self.f1 else None
        return {
            "body_f1": None if f1 is None else round(f1, 3),
            "titles": f"{self.titles}/{self.n_titles}",
            "dates": f"{self.dates}/{self.n_dates}",
            "titles_share": self.titles / self.n_titles if self.n_titles else None,
            "dates_share": self.dates / self.n_dates if self.n_dates else None,
        }


def _trafilatura(html: str) -> tuple[str, str, str]:
    """Return trafilatura's text, title and date for one page (defaults)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    if doc is None:
        return "", "", ""
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return (
        str(data.get("text") or ""),
        str(data.get("title") or ""),
        str(data.get("date") or "")[:10],
    )


def _clean(raw: str, source_file: str) -> tuple[str, str, str]:
    from citytext import clean

    doc = clean.clean_document(raw, source_file=source_file)
    return doc.text, doc.title, doc.date


def _html_input(html: str, source_file: str) -> tuple[str, str, str] | None:
    from citytext import clean, ingest

    if not hasattr(ingest, "html_document"):
        return None
    body, meta = ingest.html_document(html)
    doc = clean.clean_document(body, source_file=source_file, meta=meta)
    return doc.text, doc.title, doc.date


def _loso_context(pages: list[qd.Page], source: str) -> Any:
    """Return a context manager that swaps in a model trained without ``source``."""
    from contextlib import nullcontext

    try:
        from citytext.clean import content
    except ImportError:
        return nullcontext()
    from . import train_content

    model = train_content.train([p for p in pages if p.source != source])
    return content.using_model(model)


def _by_source(pages: list[qd.Page]) -> dict[str, list[qd.Page]]:
    out: dict[str, list[qd.Page]] = {}
    for p in pages:
        out.setdefault(p.source, []).append(p)
    return out


def score_web(
    pages: list[qd.Page], *, loso: bool, systems: dict[str, Callable[..., Any]]
) -> dict[str, Score]:
    """Score every system on ``pages`` (grouped by source for LOSO)."""
    scores = {name: Score() for name in systems}
    train_pool = [p for p in pages if p.body is not None]
    for source, group in sorted(_by_source(pages).items()):
        ctx = _loso_context(train_pool, source) if loso else _null()
        with ctx:
            for page in group:
                for name, run in systems.items():
                    got = run(page)
                    if got is not None:
                        scores[name].add(page, *got)
    return scores


def _null() -> Any:
    from contextlib import nullcontext

    return nullcontext()


def _systems(with_html: bool) -> dict[str, Callable[[qd.Page], Any]]:
    def raw(page: qd.Page) -> Any:
        text = page.raw_path.read_text(encoding="utf-8")
        return _clean(text, f"raw/{page.raw_path.name}")

    systems: dict[str, Callable[[qd.Page], Any]] = {"text cleaner on raw/": raw}
    if with_html:

        def traf(page: qd.Page) -> Any:
            assert page.html_path is not None
            return _trafilatura(page.html_path.read_text(encoding="utf-8"))

        def html_in(page: qd.Page) -> Any:
            assert page.html_path is not None
            html = page.html_path.read_text(encoding="utf-8")
            return _html_input(html, f"html/{page.html_path.name}")

        def dump(page: qd.Page) -> Any:
            from citytext import ingest

            assert page.html_path is not None
            html = page.html_path.read_text(encoding="utf-8")
            return _clean(ingest.html_text(html), f"html/{page.html_path.name}")

        systems["trafilatura on html/"] = traf
        systems["text cleaner on a text dump of html/"] = dump
        from citytext import ingest

        if hasattr(ingest, "html_document"):
            systems["HTML input (ingest)"] = html_in
    return systems


def score_rmrb(articles: list[qd.Page]) -> dict[str, Score]:
    """Score titles and dates on the newspaper articles (file name as given)."""
    dev, held = Score(), Score()
    for art in articles:
        raw = art.raw_path.read_bytes().decode("utf-8")
        _, title, date = _clean(raw, f"docs/{art.raw_path.name}")
        (held if qd.rmrb_heldout(art.id) else dev).add(art, None, title, date)
    return {"development": dev, "held out": held}


def _fmt(value: Any) -> str:
    return "—" if value is None else str(value)


def table(rows: list[tuple[str, str, Score]]) -> str:
    """Format rows as a Markdown table."""
    out = [
        "| set | system | body F1 | titles right | dates right |",
        "|---|---|---|---|---|",
    ]
    for set_name, system, score in rows:
        r = score.row()
        out.append(
            f"| {set_name} | {system} | {_fmt(r['body_f1'])} | {r['titles']} "
            f"| {r['dates']} |"
        )
    return "\n".join(out)


def _print_misses(rows: list[tuple[str, str, Score]]) -> None:
    """Print the wrong pages of the development sets (never the held-out ones)."""
    for set_name, system, score in rows:
        if "held out" in set_name:
            continue
        for miss in score.misses:
            print(f"{set_name} | {system} | {miss}")


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=None)
    ap.add_argument("--loso", action="store_true", help="retrain per left-out source")
    ap.add_argument("--no-html", action="store_true", help="skip the HTML systems")
    ap.add_argument("--no-rmrb", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list wrong pages")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    pages = qd.web_pages(args.corpora)
    articles = [] if args.no_rmrb else qd.rmrb_articles(args.corpora)
    if not pages and not articles:
        print(f"corpora not found under {args.corpora or qd.corpora_dir()}")
        return 1
    rows: list[tuple[str, str, Score]] = []
    if pages:
        held = qd.heldout_sources(pages)
        systems = _systems(not args.no_html)
        dev_pages = [p for p in pages if p.source not in held]
        held_pages = [p for p in pages if p.source in held]
        dev_name = "web dev" + (" (LOSO)" if args.loso else "")
        for set_name, subset in ((dev_name, dev_pages), ("web held out", held_pages)):
            # The held-out pages are cleaned with the shipped model, which
            # was trained without them.
            scores = score_web(
                subset, loso=args.loso and subset is dev_pages, systems=systems
            )
            rows += [(f"{set_name} ({len(subset)})", n, s) for n, s in scores.items()]
    fresh = qd.fresh_pages()
    if fresh:
        # Pages annotated after the cleaner was built and never used to tune
        # it; only the text cleaner can run on them (no HTML is stored).
        raw_only = {"text cleaner on raw/": _systems(False)["text cleaner on raw/"]}
        for name, score in score_web(fresh, loso=False, systems=raw_only).items():
            rows.append((f"web fresh held out ({len(fresh)})", name, score))
    if articles:
        for name, score in score_rmrb(articles).items():
            rows.append((f"People's Daily {name} ({score.n_titles})", "text", score))
    print(table(rows))
    if args.misses:
        _print_misses(rows)
    if args.json:
        data = {f"{s} | {n}": sc.row() for s, n, sc in rows}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
