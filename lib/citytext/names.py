"""Safe file names for values that come from the data.

Places, document ids, campaign names and topic labels come from untrusted
corpus text and metadata. Whenever one of them becomes part of a file name it
goes through :func:`safe_name`, and whenever a file is written under the run
directory :func:`inside` checks that the path lands there. Nothing else in the
library turns data into a path.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

#: Longest stem :func:`safe_name` returns (characters, hash suffix included).
MAX_NAME_CHARS = 60
#: Longest stem in UTF-8 bytes (file systems limit names to 255 bytes; a CJK
#: character takes three).
MAX_NAME_BYTES = 160
_HASH_CHARS = 8
#: Characters kept as they are: letters, digits and ``_`` of any script
#: (CJK included), plus ``-``. Everything else becomes ``_``.
_UNSAFE = re.compile(r"[^\w\-]+", flags=re.UNICODE)
#: Names Windows reserves whatever the extension (a report may be unzipped there).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", flags=re.IGNORECASE)


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[
        :_HASH_CHARS
    ]


def safe_name(value: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """Return a file-name-safe, stable stem for a value taken from the data.

    The stem has no path separators, no ``..``, no control or white-space
    characters, no leading dot, at most ``max_chars`` characters and at most
    :data:`MAX_NAME_BYTES` bytes in UTF-8. A value
    that is already safe (``鸡西``, ``05_city_profile``) is returned unchanged;
    any other value keeps its readable part and gains a short hash of the
    original, so two different values never share a stem and the same value
    always gets the same one.

    Args:
        value: The untrusted value (a place, a doc id, a label...).
        max_chars: Upper bound on the length of the result (at least 16).

    Returns:
        The stem, never empty.

    Examples:
        >>> safe_name("鸡西")
        '鸡西'
        >>> safe_name("../../x").startswith("x_")
        True
    """
    max_chars = max(16, max_chars)
    text = unicodedata.normalize("NFC", str(value))
    cleaned = _UNSAFE.sub("_", text).strip("_-")
    if (
        cleaned == text
        and 0 < len(cleaned) <= max_chars
        and len(cleaned.encode("utf-8")) <= MAX_NAME_BYTES
        and not _RESERVED.match(cleaned)
    ):
        return cleaned
    stem = cleaned[: max_chars - _HASH_CHARS - 1]
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES - _HASH_CHARS - 1:
        stem = stem[:-1]
    stem = stem.strip("_-") or "unnamed"
    return f"{stem}_{_digest(text)}"


def inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> Path:
    """Return ``path`` resolved, after checking that it lies under ``root``.

    Args:
        path: A path about to be written.
        root: The directory every write must stay in (the run directory).

    Returns:
        The resolved path.

    Raises:
        ValueError: When ``path`` resolves outside ``root`` (through ``..``,
            an absolute component or a symbolic link).
    """
    resolved = Path(path).resolve()
    base = Path(root).resolve()
    if resolved != base and base not in resolved.parents:
        raise ValueError(f"refusing to write {resolved}: it is outside {base}")
    return resolved
