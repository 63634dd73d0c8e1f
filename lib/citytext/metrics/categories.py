"""Categories: what a quantity is about, from its subject and its unit.

What belongs here: the category table and the lookups that read it.

The category table. ``metric_category_table.yaml`` lists subject groups (words
that a quantity's ``subject`` contains, longest first), unit kinds (base units
``unit_std``) and one category per (subject group, unit kind) pair; a pair not
listed falls back to the group's ``*`` entry, then to the unit kind's entry for
a quantity whose subject is in no group. Because a category is a function of
the pair, the same subject with the same kind of unit never lands in two
categories: 地区生产总值99.6亿元 is 经济规模 whoever wrote it, 人均可支配收入增长8.5%
and 固定资产投资增长8% are 收入 and 投资 by their subjects.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from citytext import resources


@dataclass(frozen=True)
class _CategoryTable:
    unit_kinds: dict[str, str]
    default_kind: str
    groups: tuple[tuple[str, str], ...]  # (word, group), longest word first
    by_pair: dict[tuple[str, str], str]
    by_kind: dict[str, str]
    fallback: str


@functools.cache
def category_table() -> _CategoryTable:
    """Load ``metric_category_table.yaml`` (see the module docstring).

    Returns:
        The parsed table.

    Raises:
        ValueError: If a word is listed in two subject groups or a unit in two
            unit kinds, which would let one subject land in two categories.
    """
    data = resources.load_yaml("metric_category_table.yaml")
    unit_kinds: dict[str, str] = {}
    for kind, units in data["unit_kinds"].items():
        for u in units or []:
            if str(u) in unit_kinds:
                raise ValueError(f"unit {u!r} is in two unit kinds")
            unit_kinds[str(u)] = str(kind)
    words: dict[str, str] = {}
    by_pair: dict[tuple[str, str], str] = {}
    for group, spec in data["subject_groups"].items():
        for w in spec["words"]:
            if str(w) in words:
                raise ValueError(f"subject word {w!r} is in two subject groups")
            words[str(w)] = str(group)
        for kind, category in spec["categories"].items():
            by_pair[(str(group), str(kind))] = str(category)
    groups = tuple(sorted(words.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return _CategoryTable(
        unit_kinds=unit_kinds,
        default_kind=str(data["default_unit_kind"]),
        groups=groups,
        by_pair=by_pair,
        by_kind={str(k): str(v) for k, v in data["without_subject"].items()},
        fallback=str(data["fallback"]),
    )


def unit_kind(unit_std: str) -> str:
    """The kind of a base unit (rate, money, people …) from the category table.

    Args:
        unit_std: A base unit (``%``, ``元``, ``人``).

    Returns:
        The kind; units not listed are counts.
    """
    table = category_table()
    return table.unit_kinds.get(unit_std, table.default_kind)


def subject_group(subject: str) -> str:
    """The subject group whose longest word the subject contains ("" if none).

    Args:
        subject: The quantity's subject (simplified script).

    Returns:
        The group name, or "".
    """
    for word, group in category_table().groups:
        if word in (subject or ""):
            return group
    return ""


def category(subject: str, unit_std: str) -> str:
    """The category of a quantity: a function of (subject group, unit kind).

    Args:
        subject: The quantity's subject.
        unit_std: Its base unit.

    Returns:
        The category name.

    Examples:
        >>> category("地区生产总值", "元"), category("固定资产投资", "%")
        ('经济规模', '投资')
    """
    table = category_table()
    kind = unit_kind(unit_std)
    group = subject_group(subject)
    if group:
        for key in ((group, kind), (group, "*")):
            if key in table.by_pair:
                return table.by_pair[key]
    return table.by_kind.get(kind, table.fallback)
