"""Notebook parameters: read them from ``parameters`` cells and validate values.

Each numbered notebook declares its parameters in one cell tagged
``parameters``: literal defaults with a type hint and a trailing comment, e.g.
``k: int | str = "auto"  # number of topics (>= 2) or "auto"``. This module
reads those cells with :mod:`ast` and :mod:`tokenize` (papermill's own inspector
is regex based and fails on ``""`` defaults followed by quoted comments), so
``citytext params`` and ``citytext run --help`` document every parameter.

Values given on the command line are strings. :func:`coerce` turns them into
the declared type and :data:`RULES` adds the constraints a type hint cannot
express (allowed choices, lower bounds). Everything is checked before any
kernel starts; papermill itself only warns about unknown names and would pass
a list as a string.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class ParameterError(ValueError):
    """A parameter value or name that cannot be used; the message names it."""


@dataclass(frozen=True)
class ParamSpec:
    """One declared notebook parameter.

    Attributes:
        name: Variable name.
        type: The type hint as written (``"int"``, ``"int | str"``...).
        default: The literal default value.
        help: The trailing comment.
        notebook: Notebook stem that declares it.
    """

    name: str
    type: str
    default: Any
    help: str
    notebook: str


def parameters_source(path: Path | str) -> str:
    """Return the source of the cell tagged ``parameters`` in a notebook.

    Args:
        path: Notebook file.

    Returns:
        The cell's source code.

    Raises:
        ParameterError: If the notebook has no such cell.
    """
    # The notebook's JSON is read directly: importing nbformat (and the JSON
    # schema checker it loads) takes longer than the command that asks.
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    if nb.get("nbformat") != 4:
        import nbformat

        nb = nbformat.read(str(path), as_version=4)
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "code" and "parameters" in tags:
            source = cell.get("source", "")
            return source if isinstance(source, str) else "".join(source)
    raise ParameterError(f"{Path(path).name} has no cell tagged 'parameters'")


def _line_comments(source: str) -> dict[int, str]:
    """Map line numbers to the text of the comment on that line."""
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    return comments


def read_specs(path: Path | str) -> list[ParamSpec]:
    """Read the parameter declarations of a notebook.

    Args:
        path: Notebook file.

    Returns:
        One :class:`ParamSpec` per assignment in the ``parameters`` cell, in
        order.

    Raises:
        ParameterError: If a default is not a literal or a hint is missing.
    """
    path = Path(path)
    return specs_from_source(parameters_source(path), path.stem)


def specs_from_source(source: str, notebook: str) -> list[ParamSpec]:
    """Read parameter declarations from the source of a ``parameters`` cell.

    Args:
        source: The cell's code.
        notebook: Notebook stem, for messages and :attr:`ParamSpec.notebook`.

    Returns:
        One :class:`ParamSpec` per assignment, in order.

    Raises:
        ParameterError: If a default is not a literal or a hint is missing.
    """
    comments = _line_comments(source)
    specs = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            raise ParameterError(
                f"{notebook}: every parameter needs a type hint and a literal "
                f"default (line {node.lineno})"
            )
        try:
            default = ast.literal_eval(node.value) if node.value is not None else None
        except ValueError as exc:
            raise ParameterError(
                f"{notebook}: default of {node.target.id!r} is not a literal"
            ) from exc
        specs.append(
            ParamSpec(
                name=node.target.id,
                type=ast.unparse(node.annotation),
                default=default,
                help=comments.get(node.lineno, ""),
                notebook=notebook,
            )
        )
    return specs


# --------------------------------------------------------------------------
# Coercion from command-line strings to declared types
# --------------------------------------------------------------------------
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def _to_bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError("expected true or false")


def _to_structured(kind: type) -> Callable[[str], Any]:
    def convert(raw: str) -> Any:
        value = yaml.safe_load(raw) if raw.strip() else kind()
        if not isinstance(value, kind):
            raise ValueError(f"expected a {kind.__name__} (JSON or YAML)")
        return value

    return convert


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": _to_bool,
    "list": _to_structured(list),
    "dict": _to_structured(dict),
}


def _base(type_part: str) -> str:
    """Return the base type of a hint part: ``dict[str, list[str]]`` -> ``dict``."""
    return type_part.split("[", 1)[0].strip()


def coerce(spec: ParamSpec, raw: Any) -> Any:
    """Convert a raw value to the parameter's declared type.

    Non-string values (from a YAML parameter file) are checked, not converted.
    A union such as ``int | str`` tries its members left to right.

    Args:
        spec: The parameter.
        raw: The value as given.

    Returns:
        The converted value.

    Raises:
        ParameterError: If no member of the declared type accepts the value.
    """
    parts = [_base(p) for p in spec.type.split("|")]
    for part in parts:
        conv = _CONVERTERS.get(part)
        if conv is None:
            continue
        if not isinstance(raw, str):
            expected = {"str": str, "int": int, "float": (int, float), "bool": bool,
                        "list": list, "dict": dict}[part]  # fmt: skip
            if isinstance(raw, expected) and not (
                part == "int" and isinstance(raw, bool)
            ):
                return raw
            continue
        try:
            return conv(raw)
        except (ValueError, yaml.YAMLError):
            continue
    raise ParameterError(
        f"parameter {spec.name!r} of {spec.notebook} expects {spec.type}, "
        f"got {raw!r} ({spec.help})"
    )


# --------------------------------------------------------------------------
# Constraints a type hint cannot express
# --------------------------------------------------------------------------
def _choices(*allowed: Any) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in allowed else "one of " + ", ".join(map(repr, allowed))

    return check


def _int_at_least(
    low: int, *, or_: tuple[str, ...] = ()
) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in or_:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= low:
            return None
        alt = "".join(f" or {o!r}" for o in or_)
        return f"an integer >= {low}{alt}"

    return check


def _seed_topics(value: Any) -> str | None:
    ok = isinstance(value, dict) and all(
        isinstance(k, str)
        and isinstance(v, list)
        and v
        and all(isinstance(w, str) for w in v)
        for k, v in value.items()
    )
    return None if ok else "a mapping of topic name to a non-empty list of seed words"


#: name -> check(value) returning None when valid, else a description of what
#: is allowed. Names not listed here are only type-checked.
RULES: dict[str, Callable[[Any], str | None]] = {
    "engine": _choices("local", "dask"),
    "unit": _choices("paragraph", "document"),
    "model": _choices("nmf", "lda", "kmeans"),
    "k": _int_at_least(2, or_=("auto",)),
    "seed": _int_at_least(0),
    "top_n": _int_at_least(1),
    "min_docs": _int_at_least(1),
    "n_terms": _int_at_least(3),
    "seed_topics": _seed_topics,
}


def validate(spec: ParamSpec, raw: Any) -> Any:
    """Coerce ``raw`` to the declared type and check the parameter's rule.

    Args:
        spec: The parameter.
        raw: The value as given.

    Returns:
        The typed value.

    Raises:
        ParameterError: Naming the parameter and what is allowed.
    """
    value = coerce(spec, raw)
    rule = RULES.get(spec.name)
    if rule is not None:
        problem = rule(value)
        if problem:
            shown = json.dumps(value, ensure_ascii=False)
            raise ParameterError(
                f"parameter {spec.name!r} must be {problem}; got {shown}"
            )
    return value


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """Parse ``name=value`` strings from the command line.

    Args:
        pairs: Strings such as ``"k=8"``.

    Returns:
        ``{name: raw value}`` (later pairs win).

    Raises:
        ParameterError: For a pair without ``=`` or with an empty name.
    """
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"parameter {pair!r} must look like name=value")
        out[name.strip()] = value
    return out
