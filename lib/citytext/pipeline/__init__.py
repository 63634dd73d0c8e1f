r"""Stage functions that read and write the run directory.

Every stage reads the files an earlier stage wrote into ``run_dir`` and writes
its own, as listed in DESIGN.md. Per-document stages (ingest, clean, segment,
metrics) are pure functions over documents mapped with
:func:`citytext.engines.map_documents`,
so the same code runs in one process or on a Dask cluster. Output CSVs are
written deterministically (sorted rows, fixed column order, ``\\n`` line ends,
UTF-8) so that two runs on the same input give byte-identical files.

The notebooks call these functions; ``citytext.runner`` never does, it only
executes the notebooks.
"""

from citytext.pipeline.clean_stage import document_diffs, run_cleaning
from citytext.pipeline.compare_stage import run_comparison
from citytext.pipeline.metrics_stage import run_metrics
from citytext.pipeline.segment_stage import run_segmentation, run_topics

__all__ = [
    "document_diffs",
    "run_cleaning",
    "run_comparison",
    "run_metrics",
    "run_segmentation",
    "run_topics",
]
