"""Topic models: vectorise, fit, choose k, label and score topics.

What belongs here: turning token lists (the ``tokens`` column of
paragraphs.csv) into topics and topic weights, with the quality numbers a
reader needs to judge them. Reading and writing run-directory files is the
job of :mod:`citytext.pipeline`; figures live in :mod:`citytext.plots`.

Units and models
    A unit is a paragraph (the default, and the only sensible choice for a
    handful of articles) or a whole document (``unit="document"``).
    Paragraphs flagged ``procedural`` or ``heading`` in paragraphs.csv
    (:mod:`citytext.procedural`: 请予审议, 各位代表……让我们……奋斗, bare
    headings) are left out of fitting, of NPMI and of the shares; they stay
    in paragraphs.csv and in the stage counts. Three
    models share one interface (:func:`fit`):

    * ``"nmf"`` (default): non-negative matrix factorisation of sublinear
      TF-IDF (Frobenius loss, NNDSVDA start, coordinate descent);
    * ``"lda"``: latent Dirichlet allocation on counts (variational Bayes);
    * ``"kmeans"``: k-means on LSA (truncated SVD of TF-IDF, normalised);
      each unit belongs to one cluster (weight 1) and a cluster's terms are
      the mean TF-IDF of its units.

Features
    Content words (:func:`citytext.segment.content_tokens`) minus place names,
    which identify a city rather than what is said about it. Words in fewer
    than ``min_df`` units (``max(2, ceil(n / 2000))``) or, with 20 units or
    more, in more than half of the units are dropped; at most
    :data:`MAX_FEATURES` words are kept, the most widespread first.

Quality numbers
    * coherence: mean NPMI of each topic's top-10 word pairs, counted over
      paragraph windows of the corpus itself (at most :data:`NPMI_SAMPLE`
      paragraphs, every m-th one when there are more); a pair never seen
      together scores -1.
    * diversity: share of unique words among all topics' top-10 words
      (1.0 = no word shared).
    * stability: the model is refitted on :data:`N_RESAMPLES` random 80 %
      subsamples of the units (one per seed, ``seed + 1`` …); each refit's
      topics are matched one-to-one to the full fit's (Hungarian matching on
      the Jaccard similarity of top-10 words) and the mean matched Jaccard is
      averaged over refits (Greene, O'Callaghan and Cunningham 2014).

Choosing k (``k="auto"``)
    Every k of :func:`k_candidates` is fitted on the sweep sample and scored
    (coherence, diversity, stability and the largest topic share). The rule
    is :func:`citytext.topics.selection.choose_k`: only k where no topic holds
    more than 20 % of the units and stability is at least 0.5 are eligible;
    among them the largest quality ``(coherence + 1) / 2 * diversity`` wins.

Guided topics (``seed_topics``)
    ``{"考核晾晒": ["考核", "排名", "晾晒"], …}`` anchors one topic per named
    family, in the spirit of keyATM and guided BERTopic. For NMF the seeded
    topics start from rows of H that put all their weight on the family's
    seed words, the free topics start from an NNDSVDA fit, and the seed-word
    columns of the TF-IDF matrix are multiplied by :data:`SEED_BOOST`. For
    k-means the seeded clusters start at the seed words' centroids. LDA has
    no seeded variant here. Each seeded topic reports ``anchored``, the share
    of its seed words found among its top terms, so a family the data does
    not support is visible rather than hidden.

Labels
    :func:`citytext.topics.selection.distinct_labels`: two top terms, found in
    the most representative unit (the unit maximising topic weight times
    log(1 + number of tokens)) where possible, no two labels sharing their
    first term. A seeded topic is labelled with its family name.

Scaling
    Up to :data:`INCREMENTAL_THRESHOLD` units, the whole matrix is held in
    memory and fitted in batch. Above it the units are streamed in chunks of
    :data:`CHUNK_SIZE`: one pass builds the vocabulary, document frequencies
    and a fixed sample of at most :data:`SWEEP_SAMPLE` units (used for the k
    sweep and NPMI); the final model is fitted with ``MiniBatchNMF``,
    ``LatentDirichletAllocation.partial_fit`` or ``MiniBatchKMeans`` over
    :data:`EPOCHS` passes; a last pass writes the weights. Memory then grows
    with the vocabulary and k, not with the number of units.

Determinism
    Fitting runs with one BLAS thread (threadpoolctl): on a shared machine
    extra BLAS threads only wait for each other (a k=20 fit on the sweep
    sample of the local reports used 22 s of CPU with them, 0.9 s without).
    Every estimator receives ``random_state=seed``;
    vocabularies, units and outputs are sorted; weights are rounded. The
    same input and parameters give the same topics and byte-identical CSVs.

Modules
    :mod:`.vocabulary` (feature words, count/TF-IDF/window matrices;
    ``MAX_FEATURES``), :mod:`.quality` (top terms, NPMI, diversity, topic
    matching), :mod:`.models` (NMF, LDA, k-means, seeded starts;
    ``SEED_BOOST``, ``BLAS_THREADS``), :mod:`.selection` (k sweep, k rule,
    labels, policy-area matching; ``SWEEP_SAMPLE``, ``N_RESAMPLES``),
    :mod:`.units` (paragraph rows to units), :mod:`.summaries` (topics.csv
    rows, unit weights, group shares), :mod:`.batch` (:func:`fit`, in memory;
    ``NPMI_SAMPLE``), :mod:`.stream` (:func:`fit_stream`, chunked;
    ``INCREMENTAL_THRESHOLD``, ``CHUNK_SIZE``, ``EPOCHS``), :mod:`.shares`
    (shares by place and year, trends, emphasis), :mod:`.views` (what the
    notebooks show of them, and the facts their sentences quote) and
    :mod:`.terms` (candidate dictionary terms). The package works on
    DataFrames and arrays only: :mod:`citytext.pipeline` reads
    paragraphs.csv (whole, or in chunks for the streaming path) and writes
    what comes back.
"""

from citytext.topics import (
    batch,
    models,
    selection,
    shares,
    stream,
    summaries,
    terms,
    units,
    views,
    vocabulary,
)
from citytext.topics.batch import fit
from citytext.topics.models import MODELS, Fit, Model, fit_matrix
from citytext.topics.quality import N_TOP, diversity, match_topics, npmi, top_terms
from citytext.topics.selection import (
    MAX_SHARE,
    STABILITY_FLOOR,
    choose_k,
    distinct_labels,
    k_candidates,
    match_areas,
    select_k,
    topic_shares,
)
from citytext.topics.shares import (
    emphasis,
    leaders,
    leading_topics,
    lift_matrix,
    matrix,
    place_year_change,
    shares_by,
    shares_long,
    trends,
    unit_weights,
    year_change,
)
from citytext.topics.stream import fit_stream
from citytext.topics.summaries import TopicResult
from citytext.topics.units import Unit, iter_units, units_from_paragraphs
from citytext.topics.views import (
    TopicYears,
    first_last_change,
    label_map,
    leading_facts,
    place_emphasis,
    sweep_facts,
    topic_facts,
    topic_years,
    topic_years_facts,
    trend_facts,
    trend_highlights,
    year_change_facts,
    year_shares,
)
from citytext.topics.vocabulary import Vocabulary, build_vocabulary

__all__ = [
    "MAX_SHARE", "MODELS", "N_TOP", "STABILITY_FLOOR", "Fit", "Model",
    "TopicResult", "TopicYears", "Unit", "Vocabulary", "batch",
    "build_vocabulary", "choose_k", "distinct_labels", "diversity", "emphasis",
    "first_last_change", "fit", "fit_matrix", "fit_stream", "iter_units",
    "k_candidates", "label_map", "leaders", "leading_facts", "leading_topics",
    "lift_matrix", "match_areas", "match_topics", "matrix", "models", "npmi",
    "place_emphasis", "place_year_change", "select_k", "selection", "shares",
    "shares_by", "shares_long", "stream", "summaries", "sweep_facts", "terms",
    "top_terms", "topic_facts", "topic_shares", "topic_years",
    "topic_years_facts", "trend_facts", "trend_highlights", "trends",
    "unit_weights", "units", "units_from_paragraphs", "views", "vocabulary",
    "year_change", "year_change_facts", "year_shares",
]  # fmt: skip
