"""Reading notebook parameter cells and validating values."""

from __future__ import annotations

import nbformat
import pytest

from citytext import execution, params


def _nb(tmp_path, source: str):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_reads_types_defaults_and_comments(tmp_path):
    source = 'run_dir: str = ""  # where "files" go; "" = default\n'
    source += 'k: int | str = "auto"  # topics\n'
    path = _nb(tmp_path, source)
    specs = params.read_specs(path)
    assert [(s.name, s.type, s.default, s.help) for s in specs] == [
        ("run_dir", "str", "", 'where "files" go; "" = default'),
        ("k", "int | str", "auto", "topics"),
    ]


def test_rejects_untyped_or_derived_parameters(tmp_path):
    with pytest.raises(params.ParameterError, match="type hint"):
        params.read_specs(_nb(tmp_path, "a = 1\n"))
    with pytest.raises(params.ParameterError, match="literal"):
        params.read_specs(_nb(tmp_path, "a: int = 1 + b\n"))


@pytest.mark.parametrize(
    ("type_", "raw", "expected"),
    [
        ("int", "8", 8),
        ("int | str", "8", 8),
        ("int | str", "auto", "auto"),
        ("bool", "true", True),
        ("bool", "0", False),
        ("float", "0.5", 0.5),
        ("dict", '{"a": ["b"]}', {"a": ["b"]}),
        ("list[str]", "[a, b]", ["a", "b"]),
        ("str", "鸡西", "鸡西"),
    ],
)
def test_coerce(type_, raw, expected):
    spec = params.ParamSpec("x", type_, None, "", "nb")
    assert params.coerce(spec, raw) == expected


@pytest.mark.parametrize(
    ("type_", "raw"), [("int", "abc"), ("bool", "maybe"), ("dict", "[1]")]
)
def test_coerce_rejects(type_, raw):
    with pytest.raises(params.ParameterError, match="expects"):
        params.coerce(params.ParamSpec("x", type_, None, "", "nb"), raw)


@pytest.mark.parametrize(
    ("name", "type_", "raw", "message"),
    [
        ("k", "int | str", "0", "integer >= 2"),
        ("k", "int | str", "many", "integer >= 2"),
        ("unit", "str", "sentence", "'paragraph', 'document'"),
        ("engine", "str", "spark", "'local', 'dask'"),
        ("seed_topics", "dict", '{"a": []}', "non-empty list"),
    ],
)
def test_rules(name, type_, raw, message):
    with pytest.raises(params.ParameterError, match=message):
        params.validate(params.ParamSpec(name, type_, None, "", "nb"), raw)


def test_every_notebook_declares_typed_commented_parameters():
    for name, specs in execution.all_specs().items():
        assert specs, name
        names = [s.name for s in specs]
        assert "run_dir" in names, name
        for s in specs:
            assert s.type, (name, s.name)
            assert s.help, f"{name}.{s.name} needs a trailing comment"
            # defaults must themselves pass validation
            params.validate(s, s.default)


def test_parse_assignments():
    assert params.parse_assignments(["k=8", "city=鸡西", "x=a=b"]) == {
        "k": "8",
        "city": "鸡西",
        "x": "a=b",
    }
    with pytest.raises(params.ParameterError):
        params.parse_assignments(["novalue"])
