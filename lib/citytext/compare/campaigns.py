"""campaigns.csv: named campaigns per place, their spread and the lexicon.

What belongs here: the campaign mentions of a corpus (:func:`extract`, which
drops bare verb phrases the corpus mostly writes without quotation marks), one
row per (place, campaign) for campaigns.csv (:func:`campaign_table`), the
campaigns several places name (:func:`spread`, :func:`timeline`,
:func:`diffusion`), lexicon
candidates (:func:`suggestions`, :func:`suggestions_yaml`), scoring against a
hand annotation (:func:`score`) and one place's campaigns (:func:`of_place`).
Finding the names in one text is :mod:`citytext.compare.campaign_finder`.

Lexicon: a campaign is ``in_lexicon`` when its name contains a mechanism of
``mechanisms.yaml``; its ``family`` is then that mechanism's family. Otherwise
``family`` is the family most often matched in the sentences that mention it
(empty when none).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from citytext.compare.campaign_finder import MENTION_COLUMNS, find_mentions, name_key
from citytext.compare.mechanisms import families, load_lexicon

#: campaigns.csv columns, in order (the run-directory contract's
#: :data:`citytext.runfiles.CAMPAIGN_COLUMNS` is this list).
COLUMNS = [
    "campaign", "kind", "city", "first_date", "last_date", "n_docs",
    "n_mentions", "example", "example_doc_id", "in_lexicon", "family",
]  # fmt: skip
MIN_EXAMPLE_CHARS = 15
#: A bare verb phrase is ordinary language when the corpus writes it without
#: quotation marks this many times as often as with them (and often enough).
UNQUOTED_RATIO = 3.0
UNQUOTED_MIN = 5


# --------------------------------------------------------------------------
# A corpus
# --------------------------------------------------------------------------
def _automaton(keys: Iterable[str]) -> Any:
    import ahocorasick

    auto = ahocorasick.Automaton()
    for key in keys:
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


def _occurrences(texts: Iterable[str], keys: set[str]) -> Counter[str]:
    """Count every occurrence of each key in ``texts`` (quoted or not)."""
    counts: Counter[str] = Counter()
    if not keys:
        return counts
    auto = _automaton(keys)
    for text in texts:
        for _, key in auto.iter(text):
            counts[key] += 1
    return counts


def _drop_ordinary(mentions: pd.DataFrame, texts: list[str]) -> pd.DataFrame:
    """Drop bare verb phrases the corpus mostly writes without quotation marks."""
    bare = mentions["rule"] == "quote-verb"
    keys = set(mentions.loc[bare, "campaign"])
    total = _occurrences(texts, keys)
    quoted = mentions.loc[bare].groupby("campaign").size()
    ordinary = {
        k
        for k, n in quoted.items()
        if total[k] >= UNQUOTED_MIN and total[k] - n >= UNQUOTED_RATIO * n
    }
    return mentions.loc[~(bare & mentions["campaign"].isin(ordinary))]


def extract(articles: pd.DataFrame) -> pd.DataFrame:
    """Find the campaign mentions of every article, with corpus statistics.

    Args:
        articles: Columns ``doc_id`` and ``text`` (cleaned, simplified); other
            columns are ignored.

    Returns:
        :data:`MENTION_COLUMNS` rows sorted by ``doc_id`` and offset. A bare
        quoted verb phrase that the corpus mostly writes without quotation
        marks is left out (ordinary language, not a name).
    """
    frames = []
    docs = articles[["doc_id", "text"]].fillna("")
    for doc_id, text in zip(docs["doc_id"], docs["text"].astype(str), strict=True):
        found = find_mentions(text)
        if not found.empty:
            found.insert(0, "doc_id", doc_id)
            frames.append(found)
    if not frames:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    mentions = pd.concat(frames, ignore_index=True)
    mentions = _drop_ordinary(mentions, list(docs["text"].astype(str)))
    return mentions.sort_values(["doc_id", "start"], kind="mergesort").reset_index(
        drop=True
    )


# --------------------------------------------------------------------------
# campaigns.csv
# --------------------------------------------------------------------------
@functools.cache
def _lexicon_family(name: str) -> str:
    """Family of the first lexicon mechanism found in ``name`` ("" if none)."""
    for mech in load_lexicon():
        m = mech.pattern.search(name)
        if m and not (mech.exclude and mech.exclude.search(name)):
            return mech.family
    return ""


def _context_families(
    mentions: pd.DataFrame, hits: pd.DataFrame | None
) -> dict[str, str]:
    """Most frequent lexicon family in the sentences mentioning each key."""
    if hits is None or hits.empty or mentions.empty:
        return {}
    h = hits[["doc_id", "start", "family"]].rename(columns={"start": "hit"})
    m = mentions[["doc_id", "key", "sent_start", "sent_end"]].merge(h, on="doc_id")
    m = m[(m["hit"] >= m["sent_start"]) & (m["hit"] < m["sent_end"])]
    if m.empty:
        return {}
    counts = m.groupby(["key", "family"]).size().rename("n").reset_index()
    counts = counts.sort_values(["key", "n", "family"], ascending=[True, False, True])
    return dict(
        counts.drop_duplicates("key")[["key", "family"]].itertuples(index=False)
    )


def _modes(m: pd.DataFrame, col: str) -> pd.Series:
    """Most frequent ``col`` per key (ties: alphabetical)."""
    counts = m.groupby(["key", col]).size().rename("n").reset_index()
    counts = counts.sort_values(["key", "n", col], ascending=[True, False, True])
    return counts.drop_duplicates("key").set_index("key")[col]


def _examples(m: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """Each (city, key)'s shortest informative sentence (ties: doc_id, offset)."""
    cand = m[["city", "key", "doc_id", "start", "sent_start", "sent_end"]].copy()
    cand["example"] = [
        texts[d][s:e].strip()
        for d, s, e in zip(
            cand["doc_id"], cand["sent_start"], cand["sent_end"], strict=True
        )
    ]
    cand["_len"] = cand["example"].str.len()
    cand["_short"] = cand["_len"] < MIN_EXAMPLE_CHARS
    cand = cand.sort_values(
        ["city", "key", "_short", "_len", "doc_id", "start"], kind="mergesort"
    ).drop_duplicates(["city", "key"])
    return cand.set_index(["city", "key"])[["example", "doc_id"]]


def campaign_table(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (place, campaign): the campaigns.csv table.

    Args:
        mentions: :func:`extract` rows.
        articles: :func:`citytext.compare.usable_articles` rows (``doc_id``,
            ``place``, ``date``, ``year``, ``text``).
        hits: :func:`citytext.compare.mechanism_hits` rows, for the context
            family (optional).

    Returns:
        :data:`COLUMNS`, sorted by ``city`` and ``campaign``.
    """
    art = articles.set_index("doc_id")
    m = mentions[mentions["doc_id"].isin(art.index)].copy()
    if m.empty:
        return pd.DataFrame(columns=COLUMNS)
    m["city"] = m["doc_id"].map(art["place"])
    m["when"] = m["doc_id"].map(_doc_dates(articles))
    names, kinds = _modes(m, "campaign"), _modes(m, "kind")
    context = _context_families(m, hits)
    dated = m[m["when"] != ""].groupby(["city", "key"])["when"]
    out = m.groupby(["city", "key"], sort=True).agg(
        n_docs=("doc_id", "nunique"), n_mentions=("doc_id", "size")
    )
    out["first_date"] = dated.min()
    out["last_date"] = dated.max()
    out = out.join(_examples(m, art["text"].astype(str).to_dict()))
    out = out.reset_index().rename(columns={"doc_id": "example_doc_id"})
    out["campaign"] = out["key"].map(names)
    out["kind"] = out["key"].map(kinds)
    lexicon = out["campaign"].map(_lexicon_family)
    out["in_lexicon"] = lexicon != ""
    out["family"] = lexicon.where(lexicon != "", out["key"].map(context).fillna(""))
    out[["first_date", "last_date"]] = out[["first_date", "last_date"]].fillna("")
    out = out.sort_values(["city", "campaign"], kind="mergesort")
    return out[COLUMNS].reset_index(drop=True)


def _doc_dates(articles: pd.DataFrame) -> dict[str, str]:
    """ISO date of each article, else its year, else ""."""
    date = (
        articles.get("date", pd.Series("", index=articles.index)).fillna("").astype(str)
    )
    year = (
        articles.get("year", pd.Series("", index=articles.index)).fillna("").astype(str)
    )
    year = year.str.replace(r"\.0$", "", regex=True)
    when = date.where(date != "", year)
    return dict(zip(articles["doc_id"], when, strict=True))


# --------------------------------------------------------------------------
# Across places and the lexicon
# --------------------------------------------------------------------------
def spread(campaigns: pd.DataFrame, *, min_places: int = 2) -> pd.DataFrame:
    """Campaigns named by several places, most places first.

    Args:
        campaigns: campaigns.csv rows.
        min_places: Keep campaigns named by at least this many places.

    Returns:
        Columns ``campaign``, ``kind``, ``n_places``, ``n_docs``,
        ``first_date``, ``first_city``, ``in_lexicon``, ``family``.
    """
    cols = [
        "campaign",
        "kind",
        "n_places",
        "n_docs",
        "first_date",
        "first_city",
        "in_lexicon",
        "family",
    ]
    if campaigns.empty:
        return pd.DataFrame(columns=cols)
    df = campaigns.assign(n_docs=pd.to_numeric(campaigns["n_docs"]))
    df = df.assign(_first=df["first_date"].replace("", "9999"))
    df = df.sort_values(["campaign", "_first", "city"], kind="mergesort")
    out = df.groupby("campaign", sort=True).agg(
        kind=("kind", "first"), n_places=("city", "nunique"), n_docs=("n_docs", "sum"),
        first_date=("first_date", "first"), first_city=("city", "first"),
        in_lexicon=("in_lexicon", "first"), family=("family", "first"),
    ).reset_index()  # fmt: skip
    out = out[out["n_places"] >= min_places]
    out = out.sort_values(
        ["n_places", "n_docs", "campaign"],
        ascending=[False, False, True],
        kind="mergesort",
    )
    return out[cols].reset_index(drop=True)


def timeline(campaigns: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Each place's first date for the given campaigns (the diffusion timeline).

    Returns:
        Columns ``campaign``, ``city``, ``first_date``, sorted by campaign
        (in the order given) and date; places without a date are left out.
    """
    order = {n: i for i, n in enumerate(names)}
    df = campaigns[campaigns["campaign"].isin(order) & (campaigns["first_date"] != "")]
    df = df.assign(_o=df["campaign"].map(order))
    df = df.sort_values(["_o", "first_date", "city"], kind="mergesort")
    return df[["campaign", "city", "first_date"]].reset_index(drop=True)


def diffusion(
    campaigns: pd.DataFrame, *, min_places: int = 2, limit: int = 15
) -> pd.DataFrame:
    """The diffusion timeline of the campaigns most places name.

    Args:
        campaigns: campaigns.csv rows.
        min_places: Campaigns named by fewer places are left out.
        limit: Campaigns kept, in :func:`spread` order.

    Returns:
        :func:`timeline` rows of the first ``limit`` campaigns of
        :func:`spread` (no rows when no campaign is named by ``min_places``).
    """
    names = spread(campaigns, min_places=min_places)["campaign"].head(limit)
    return timeline(campaigns, names)


def suggestions(
    campaigns: pd.DataFrame, *, min_places: int = 2, limit: int = 30
) -> pd.DataFrame:
    """Campaigns the lexicon does not know, ranked for a researcher to add.

    Ranked by the number of places that name them, then documents. Columns as
    :func:`spread` plus ``example`` (one real sentence).
    """
    if campaigns.empty:
        return spread(campaigns).assign(example=pd.Series(dtype=str))
    unknown = campaigns[
        ~campaigns["in_lexicon"].astype(str).str.lower().isin({"true", "1"})
    ]
    out = spread(unknown, min_places=min_places).head(limit)
    examples = unknown.sort_values(["campaign", "city"]).drop_duplicates("campaign")
    out["example"] = out["campaign"].map(examples.set_index("campaign")["example"])
    return out.reset_index(drop=True)


def _ascii_id(name: str) -> str:
    from pypinyin import lazy_pinyin

    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in lazy_pinyin(name)]
    return "_".join(w for w in words if w)[:60] or "campaign"


def suggestions_yaml(table: pd.DataFrame, known_ids: Iterable[str] = ()) -> str:
    """Render :func:`suggestions` as ``mechanisms`` entries for mechanisms.yaml.

    Entries without a context family get ``family: FILL_IN`` and a comment
    listing the family ids; the lexicon loader rejects them until one is set.
    """
    import yaml

    family_ids = list(families()["family_id"])
    by_name = dict(zip(families()["family"], family_ids, strict=True))
    taken = set(known_ids)
    lines = ["# Paste under `mechanisms:` in mechanisms.yaml; check each entry."]
    for r in table.itertuples(index=False):
        ident = _ascii_id(r.campaign)
        while ident in taken:
            ident += "_x"
        taken.add(ident)
        family = by_name.get(str(r.family), "")
        entry = {
            "id": ident, "name": str(r.campaign), "family": family or "FILL_IN",
            "patterns": [str(r.campaign)],
            "note": f"{r.kind}; named by {r.n_places} places, first {r.first_city} "
            f"{r.first_date}; e.g. {r.example}",
        }  # fmt: skip
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
        if not family:
            lines.append(f"# family: one of {', '.join(family_ids)}")
        lines.extend("  " + ln for ln in text.rstrip().splitlines())
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Scoring against a hand annotation
# --------------------------------------------------------------------------
def score(mentions: pd.DataFrame, gold: pd.DataFrame) -> dict[str, Any]:
    """Precision and recall of found names against a hand annotation.

    Args:
        mentions: :func:`extract` rows.
        gold: Columns ``doc_id``, ``campaign``, ``kind`` and ``aliases``
            (``|``-separated variants the text treats as the same campaign).

    Returns:
        ``tp``, ``fp``, ``fn``, ``dup`` (found names that match an annotated
        campaign already matched by another variant; counted as correct),
        ``precision``, ``recall``, ``kind_accuracy`` (over true positives),
        and the lists ``false_positives`` and ``false_negatives``.
    """
    found = mentions.drop_duplicates(["doc_id", "key"])
    tp = dup = kind_ok = 0
    fps: list[tuple[str, str]] = []
    fns: list[tuple[str, str]] = []
    for doc_id, items in gold.groupby("doc_id", sort=True):
        keys = [
            {name_key(n) for n in [c, *str(a).split("|")] if n}
            for c, a in zip(items["campaign"], items["aliases"].fillna(""), strict=True)
        ]
        matched: set[int] = set()
        for key, name, kind in found.loc[
            found["doc_id"] == doc_id, ["key", "campaign", "kind"]
        ].itertuples(index=False):
            hit = next((i for i, ks in enumerate(keys) if key in ks), None)
            if hit is None:
                fps.append((doc_id, name))
            elif hit in matched:
                dup += 1
            else:
                matched.add(hit)
                tp += 1
                kind_ok += kind == items["kind"].iloc[hit]
        fns += [
            (doc_id, c) for i, c in enumerate(items["campaign"]) if i not in matched
        ]
    fp, fn = len(fps), len(fns)
    return {
        "tp": tp, "fp": fp, "fn": fn, "dup": dup,
        "precision": (tp + dup) / max(tp + dup + fp, 1),
        "recall": tp / max(tp + fn, 1),
        "kind_accuracy": kind_ok / max(tp, 1),
        "false_positives": fps, "false_negatives": fns,
    }  # fmt: skip


def of_place(campaigns: pd.DataFrame | None, city: str) -> pd.DataFrame:
    """The campaigns one place names, most mentioned first.

    Args:
        campaigns: campaigns.csv rows, or ``None`` when the file is absent.
        city: The place as in campaigns.csv.

    Returns:
        Its rows (:data:`COLUMNS`), sorted by mentions, documents and name.
    """
    if campaigns is None or campaigns.empty:
        return pd.DataFrame(columns=COLUMNS)
    mine = campaigns[campaigns["city"] == city]
    mine = mine.assign(
        _n=pd.to_numeric(mine["n_mentions"]), _d=pd.to_numeric(mine["n_docs"])
    )
    mine = mine.sort_values(
        ["_n", "_d", "campaign"], ascending=[False, False, True], kind="mergesort"
    )
    return mine[COLUMNS].reset_index(drop=True)
