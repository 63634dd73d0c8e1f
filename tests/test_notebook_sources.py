"""Source notebooks are committed thin: outputs stripped, a tagged parameters cell
of typed literals, and code cells that only call the library and display."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from citytext import execution

NOTEBOOKS = [execution.notebook_path(n) for n in execution.ALL_NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_stripped(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: outputs not stripped"
            assert cell.execution_count is None, f"{path.name}: execution count kept"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_skeleton_title_then_parameters(path):
    nb = nbformat.read(str(path), as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.cells.index(tagged[0]) == 1
    assert nb.metadata["kernelspec"]["name"] == "citytext"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_relative_data_paths(path):
    src = path.read_text(encoding="utf-8")
    assert "../data" not in src and "..\\\\data" not in src


_RAW_DRAWING = re.compile(r"\b(?:ax|axes|plt|fig)\.\w+\(|\bnew_figure\(|matplotlib")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_come_from_plot_functions(path):
    nb = nbformat.read(str(path), as_version=4)
    raw = [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and _RAW_DRAWING.search(c.source)
    ]
    assert not raw, f"{path.name} draws in its cells; use a citytext.plots function"


# Notebook cells hold no analysis: parameters, imports, calls into citytext and
# display. Everything below is what analysis in a cell looks like.
_CONTROL_FLOW = (
    ast.For, ast.AsyncFor, ast.While, ast.If, ast.IfExp, ast.Try, ast.With,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda,
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.BoolOp, ast.Compare,
)  # fmt: skip
_WRANGLING = {
    "agg", "aggregate", "apply", "assign", "astype", "at", "concat", "corr",
    "count", "crosstab", "drop", "drop_duplicates", "dropna", "fillna", "groupby",
    "head", "iat", "idxmax", "idxmin", "iloc", "isin", "items", "iterrows", "join",
    "loc", "map", "mask", "max", "mean", "melt", "merge", "min", "nunique",
    "pivot", "pivot_table", "query", "read_bytes", "read_csv", "read_excel",
    "read_json", "read_parquet", "read_text", "reindex", "rename", "reset_index",
    "round", "set_index", "sort_index", "sort_values", "stack", "str", "sum",
    "tail", "to_csv", "unstack", "value_counts", "where",
}  # fmt: skip
#: Plain functions a cell may call besides citytext's: HTML display and
#: bounds on a parameter.
_BUILTINS = {"HTML", "max", "min"}


def _imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.module in {"citytext", "IPython.display"}, node.module
            names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            raise AssertionError(f"import {node.names[0].name}: use citytext")
    return names


def _analysis_in(source: str, modules: set[str]) -> list[str]:
    """What in a code cell is analysis rather than a call and its display."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, _CONTROL_FLOW):
            found.append(type(node).__name__)
        elif isinstance(node, ast.Attribute) and node.attr in _WRANGLING:
            # a citytext function (runfiles.read_csv) is fine; a table's method is not
            if not (isinstance(node.value, ast.Name) and node.value.id in modules):
                found.append(f".{node.attr}")
        elif isinstance(node, ast.Subscript) and not (
            isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
        ):
            found.append("subscript other than a column or key name")
        elif isinstance(node, ast.Call):
            root = node.func
            while isinstance(root, ast.Attribute | ast.Call):
                root = root.value if isinstance(root, ast.Attribute) else root.func
            name = root.id if isinstance(root, ast.Name) else "?"
            if name not in modules and name not in _BUILTINS:
                found.append(f"call of {name}")
        elif isinstance(node, ast.BinOp) and not isinstance(node.left, ast.Constant):
            found.append("arithmetic")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_only_call_the_library_and_display(path):
    nb = nbformat.read(str(path), as_version=4)
    cells = [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    ]
    modules = set()
    for source in cells:
        modules |= _imported_names(ast.parse(source))
    assert "citytext" not in modules and modules, "from citytext import …"
    offending = {
        source.splitlines()[0]: found
        for source in cells
        if (found := _analysis_in(source, modules))
    }
    assert not offending, f"{path.name}: analysis in cells: {offending}"


def test_the_cell_check_finds_analysis():
    modules = {"compare", "report"}
    thin = 'report.table(compare.top_pairs(result["similarity"], "text_cosine", n=20))'
    assert _analysis_in(thin, modules) == []
    assert _analysis_in("a = runfiles.read_csv(d, 'x.csv')", {"runfiles"}) == []
    for cell in (
        "if spread.empty:\n    report.md('none')",
        "top = counts.idxmax(axis=1)",
        'wide = moved[moved["city"].isin(shown)]',
        "in_view = [p for p in shown if p in places]",
        "doc_topics = pd.read_csv(path)",
        'doc_topics = result["articles"].read_csv(path)',
        "runfiles.read_csv(run_dir, name).groupby('city')",
        "share = left_out / n",
        "x = compare.mix(t) if t is not None else None",
    ):
        assert _analysis_in(cell, modules), cell


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_typed_literals_with_a_comment(path):
    nb = nbformat.read(str(path), as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    lines = [line for line in cell.source.splitlines() if line.strip()]
    tree = ast.parse(cell.source)
    assert len(tree.body) == len(lines), "one parameter per line"
    for line, node in zip(lines, tree.body, strict=True):
        assert isinstance(node, ast.AnnAssign), line
        ast.literal_eval(node.value)
        assert re.search(r"\S\s+# \S", line), f"{path.name}: no comment: {line}"
