"""The cleaned document and its change log.

What belongs here: :class:`CleanDoc` (the result of
:func:`citytext.clean.clean_document`), the log type every cleaning step
appends to, and :func:`record`, the one way a step writes a log entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Log = list[dict[str, str]]
TextFunc = Callable[..., str]


@dataclass
class CleanDoc:
    """A cleaned article and its metadata.

    Attributes:
        text: Cleaned text, one paragraph per line (the title, when the page
            shows one, is the first line).
        title: Title ("" when the page has none).
        date: ISO date ``YYYY-MM-DD`` or "".
        date_source: ``header``, ``body``, ``inferred`` or ``none``.
        year: Year as a string, or "".
        outlet: Original publisher, or "".
        authors: Author names.
        city: Short name of the place the article is about (鸡西, 陵城).
        prefecture: Its prefecture-level unit (鸡西市, 德州市).
        province: Its province-level unit.
        admin_level: Its level (see :class:`citytext.places.Place`).
        flags: Notes such as ``mojibake_repaired`` or ``ambiguous_place``.
        log: Every change: dicts with ``action``, ``rule``, ``before``, ``after``.
        sources: Where each metadata field came from (field → source).
    """

    text: str = ""
    title: str = ""
    date: str = ""
    date_source: str = "none"
    year: str = ""
    outlet: str = ""
    authors: list[str] = field(default_factory=list)
    city: str = ""
    prefecture: str = ""
    province: str = ""
    admin_level: str = ""
    flags: list[str] = field(default_factory=list)
    log: Log = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def authors_joined(self) -> str:
        """Authors joined with ``;`` as written to ``articles.csv``."""
        return ";".join(self.authors)


def record(
    log: Log | None, action: str, rule: str, before: str, after: str = ""
) -> None:
    """Append one change to ``log`` (no-op when ``log`` is None)."""
    if log is not None:
        log.append({"action": action, "rule": rule, "before": before, "after": after})
