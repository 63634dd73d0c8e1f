"""Cross-city comparison: mechanisms, per-place features, similarity and reuse.

What belongs here: everything the comparison stage computes from the earlier
stages' tables, as a package of modules that take tables and return tables (no
file access; reading and writing the run directory is
:func:`citytext.pipeline.run_comparison`, and one place's files are read by
:func:`citytext.runfiles.read_profile_tables`):

- :mod:`.articles`: the place of each article, the articles compared, coverage;
- :mod:`.mechanisms`: the mechanism lexicon, its matches and mechanisms.csv;
- :mod:`.features`: topic shares, claimed quantities and city_comparison.csv;
- :mod:`.similarity`: text, mechanism and topic similarity, clustering order;
- :mod:`.distinctive`: distinctive terms by weighted log-odds;
- :mod:`.reuse`: passages shared between places (MinHash LSH);
- :mod:`.campaign_finder` and :mod:`.campaigns`: named campaigns in a text,
  and campaigns.csv with their spread across places;
- :mod:`.views`: notebook-ready tables, and one place's profile;
- :mod:`.facts`: the numbers and names the notebooks' sentences quote.

The names below are re-exported here; the campaign functions are reached
through the :mod:`.campaigns` and :mod:`.campaign_finder` modules.

Every function is deterministic: fixed seeds, stable sorts and sorted output.
"""

from __future__ import annotations

from citytext.compare import campaign_finder, campaigns, facts
from citytext.compare.articles import (
    UNKNOWN_PLACE,
    attach_place,
    coverage,
    place_of,
    usable_articles,
)
from citytext.compare.distinctive import distinctive_terms, log_odds
from citytext.compare.facts import (
    claims_facts,
    comparable_measure_count,
    corpus_facts,
    coverage_facts,
    mechanism_facts,
    most_overrepresented,
    profile_facts,
    profile_similar_facts,
    profile_topic_facts,
    rank_agreement,
    rate_extremes,
    reuse_facts,
    similarity_facts,
    topic_leaders,
    topic_mix_facts,
)
from citytext.compare.features import (
    NON_ADDITIVE_UNITS,
    city_comparison,
    claims_table,
    comparable_claims,
    normalise_city_topics,
    topic_shares,
)
from citytext.compare.mechanisms import (
    LEXICON,
    MATCH_COLUMNS,
    MIN_EXAMPLE_CHARS,
    Mechanism,
    families,
    load_lexicon,
    match_mechanisms,
    mechanism_hits,
    mechanism_matrix,
    mechanism_table,
)
from citytext.compare.reuse import REUSE_COLUMNS, text_reuse
from citytext.compare.similarity import (
    cluster_order,
    flat_clusters,
    profile_similarity,
    similarity,
    similarity_table,
    text_similarity,
)
from citytext.compare.views import (
    CityProfile,
    city_profile,
    distinctive_panels,
    docs_per_place,
    docs_per_year,
    family_rates,
    family_timeline,
    label_with_docs,
    longest_passages,
    place_labels,
    province_labels,
    resolve_city,
    reuse_bars,
    reuse_summary,
    select_places,
    submatrix,
    timeline_matrix,
    top_pairs,
    top_places,
    topic_mix,
)

__all__ = [
    "LEXICON",
    "MATCH_COLUMNS",
    "MIN_EXAMPLE_CHARS",
    "NON_ADDITIVE_UNITS",
    "REUSE_COLUMNS",
    "UNKNOWN_PLACE",
    "CityProfile",
    "Mechanism",
    "attach_place",
    "campaign_finder",
    "campaigns",
    "city_comparison",
    "city_profile",
    "claims_facts",
    "claims_table",
    "cluster_order",
    "comparable_claims",
    "comparable_measure_count",
    "corpus_facts",
    "coverage",
    "coverage_facts",
    "distinctive_panels",
    "distinctive_terms",
    "docs_per_place",
    "docs_per_year",
    "facts",
    "families",
    "family_rates",
    "family_timeline",
    "flat_clusters",
    "label_with_docs",
    "load_lexicon",
    "log_odds",
    "longest_passages",
    "match_mechanisms",
    "mechanism_facts",
    "mechanism_hits",
    "mechanism_matrix",
    "mechanism_table",
    "most_overrepresented",
    "normalise_city_topics",
    "place_labels",
    "place_of",
    "profile_facts",
    "profile_similar_facts",
    "profile_similarity",
    "profile_topic_facts",
    "province_labels",
    "rank_agreement",
    "rate_extremes",
    "resolve_city",
    "reuse_bars",
    "reuse_facts",
    "reuse_summary",
    "select_places",
    "similarity",
    "similarity_facts",
    "similarity_table",
    "submatrix",
    "text_reuse",
    "text_similarity",
    "timeline_matrix",
    "top_pairs",
    "top_places",
    "topic_leaders",
    "topic_mix",
    "topic_mix_facts",
    "topic_shares",
    "usable_articles",
]
