"""Places: the gazetteer, place names read in context, an article's place.

A package: :mod:`.gazetteer` (the administrative-division table, :class:`Place`,
names and candidates), :mod:`.resolver` (:func:`resolve` with context,
:func:`find_places` for whole toponyms in text) and :mod:`.article` (the
place an article is about, :func:`article_place`). The names below are
re-exported, so ``places.resolve(...)`` is the stable entry point.

Examples:
    >>> resolve("陵城区").prefecture
    '德州市'
    >>> resolve("朝阳区") is None
    True
"""

from __future__ import annotations

from citytext.places.article import LEAD_CHARS, PlaceChoice, article_place, main_place
from citytext.places.gazetteer import (
    MUNICIPALITIES,
    SARS,
    Place,
    candidates,
    gazetteer,
    is_ambiguous,
    names,
)
from citytext.places.resolver import find_places, resolve

__all__ = [
    "LEAD_CHARS",
    "MUNICIPALITIES",
    "SARS",
    "Place",
    "PlaceChoice",
    "article_place",
    "candidates",
    "find_places",
    "gazetteer",
    "is_ambiguous",
    "main_place",
    "names",
    "resolve",
]
