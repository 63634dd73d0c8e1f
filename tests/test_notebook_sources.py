"""Source notebooks are committed thin: outputs stripped, a tagged parameters cell."""

from __future__ import annotations

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
