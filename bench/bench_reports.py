"""City profile pages: the warm-kernel path against the per-profile kernel path.

* ``profiles_speedup``: seconds per profile page of the previous path (papermill
  starts a fresh kernel for every profile, the page embeds the DataTables
  bundle and the stylesheets, a new nbconvert exporter renders each page)
  divided by the seconds per page of :func:`citytext.execution.run_profiles` (one
  worker with a warm kernel, cached reads, one exporter), both on one core,
  on the same places of the same run directory. The new path's time includes
  starting its worker and kernel (a real run amortises that over 150
  profiles per worker).
* ``profiles_speedup_steady``: the same, against the median time of one
  profile in the warm worker (what each of a full run's profiles costs).
* ``profile_page_bytes``: mean page size of the previous path divided by the
  new one (shared assets and figure files not counted).
* ``figure_save_speedup``: seconds to save the profiles' figures (the
  mechanism and topic-mix bars of each place) the previous way (matplotlib's
  ``bbox_inches="tight"``: a layout pass, a draw and a PNG that Pillow decodes
  again) divided by :func:`citytext.plots.savefig`'s way (one draw into raw
  RGBA, cut to its ink), building the figures not counted.

The run directory is built once under ``bench/out/reports_run`` from the 546
local government work reports (cleaning, segmentation, topics with a fixed
k, metrics and comparison: what the profile notebook reads).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from . import Figure, Skip
from .corpus import OUT_DIR, require_shared
from .settings import Settings

FIGURES = (
    "profiles_speedup",
    "profiles_speedup_steady",
    "profile_page_bytes",
    "figure_save_speedup",
)
RUN_DIR = OUT_DIR / "reports_run"
CORPUS = "cn_local_gov_work_reports_2022_2023"


def prepare_run_dir() -> Path:
    """Build (once) a run directory holding everything the profiles read."""
    from citytext import pipeline

    if (RUN_DIR / "stages" / "compare.json").is_file():
        return RUN_DIR
    corpus = require_shared() / "corpora" / CORPUS
    if not corpus.is_dir():
        raise Skip(f"corpus {corpus} not found")
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    pipeline.run_cleaning(corpus, RUN_DIR)
    pipeline.run_segmentation(RUN_DIR)
    pipeline.run_topics(RUN_DIR, k=8)
    pipeline.run_metrics(RUN_DIR)
    pipeline.run_comparison(RUN_DIR)
    return RUN_DIR


def _cities(run_dir: Path, n: int) -> list[str]:
    from citytext import runrecord

    cities = runrecord.cities_in_run(run_dir)
    step = max(1, len(cities) // n)
    return cities[::step][:n]


def _old_render(notebook: Path, output: Path) -> None:
    """The previous page renderer: stock lab template, a new exporter per page."""
    import nbformat
    from nbconvert import HTMLExporter

    from citytext import render

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and not {
            "parameters",
            "injected-parameters",
        } & set(cell.metadata.get("tags", [])):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": render.notebook_title(nb)}}
    )
    style = "<style>" + render.font_css("../fonts/") + "</style>"
    body = body.replace("</head>", style + "</head>", 1)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(body, encoding="utf-8")


def old_path(run_dir: Path, cities: list[str]) -> tuple[float, list[int]]:
    """Seconds and page sizes of the previous per-profile path, one at a time."""
    from citytext import config, execution

    os.environ.pop(config.PAGE_ASSETS_ENV, None)
    kernel = execution.default_kernel()
    sizes = []
    t0 = time.perf_counter()
    for city, stem in zip(cities, execution.profile_stems(cities), strict=True):
        out_nb = run_dir / "notebooks_old" / f"{stem}.ipynb"
        out_nb.parent.mkdir(exist_ok=True)
        params = {**execution.params_for(execution.PROFILE_NOTEBOOK, {}), "city": city}
        execution.execute(
            execution.PROFILE_NOTEBOOK, out_nb, params, kernel=kernel, cwd=run_dir,
            quiet=True, timeout=None,
        )  # fmt: skip
        page = run_dir / "html_old" / f"{stem}.html"
        _old_render(out_nb, page)
        sizes.append(page.stat().st_size)
    return time.perf_counter() - t0, sizes


def new_path(run_dir: Path, cities: list[str]) -> tuple[float, list[int], list[float]]:
    """Seconds and page sizes of ``execution.run_profiles`` on one worker."""
    from citytext import execution, runner

    cfg = execution.RunConfig(
        corpus=run_dir,
        out=run_dir,
        jobs=1,
        quiet=True,
        kernel=execution.default_kernel(),
    )
    t0 = time.perf_counter()
    with runner.page_assets():
        profiles = execution.run_profiles(cities, cfg, run_dir, {})
    seconds = time.perf_counter() - t0
    sizes = [(run_dir / "html" / f"{p['page']}.html").stat().st_size for p in profiles]
    return seconds, sizes, [p["seconds"] for p in profiles]


def _old_write_png(fig, out: Path) -> None:
    """The previous figure writer: tight PNG from matplotlib, then quantised."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 0}
    )
    buf.seek(0)
    with Image.open(buf) as image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE
        )
    palette.save(out, format="PNG")


def figure_saving(run_dir: Path, cities: list[str]) -> tuple[float, float, int]:
    """Seconds to save the same figures the previous way and the new way."""
    import matplotlib.pyplot as plt

    from citytext import compare, plots, runfiles
    from citytext.plots import base

    plots.setup()
    tables = runfiles.read_profile_tables(run_dir)
    makers = []
    for city in cities:
        profile = compare.city_profile(city, **tables)
        for frame, label, left, right in (
            (profile.mechanism_rates, "family", "per_10k", "corpus_per_10k"),
            (profile.topic_mix, "label", "share", "corpus"),
        ):
            if len(frame):
                makers.append(
                    lambda f=frame, lb=label, le=left, ri=right: (
                        plots.comparison_paired_bars(
                            f, label=lb, left=le, right=ri, left_name="此地",
                            right_name="全部", title="对比", xlabel="x", ylabel="y",
                        )
                    )
                )  # fmt: skip
    out = run_dir / "figures_bench.png"
    seconds = {}
    for name, write in (("old", _old_write_png), ("new", base._write_png)):  # noqa: SLF001
        spent = 0.0
        for make in makers:
            fig = make()
            t0 = time.perf_counter()
            write(fig, out)
            spent += time.perf_counter() - t0
            plt.close(fig)
        seconds[name] = spent
    out.unlink(missing_ok=True)
    return seconds["old"], seconds["new"], len(makers)


def run(settings: Settings) -> Iterator[Figure]:
    """Yield the profile figures."""
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    run_dir = prepare_run_dir()
    for sub in ("notebooks", "html", "figures"):
        (run_dir / sub).mkdir(exist_ok=True)
    n = 12 if settings.quick else 40
    cities = _cities(run_dir, n)
    t_old, old_sizes = old_path(run_dir, cities)
    t_new, new_sizes, each = new_path(run_dir, cities)
    per_old, per_new = t_old / len(cities), t_new / len(cities)
    yield Figure(
        "profiles_speedup",
        per_old / per_new,
        "previous path: fresh kernel per profile, embedded bundle, new exporter "
        "per page (same places, one core)",
        f"{len(cities)} profiles: {per_old:.2f} s vs {per_new:.2f} s per page",
        target=">= 5",
        data={"seconds_old": t_old, "seconds_new": t_new, "profiles": len(cities)},
    )
    steady = sorted(each)[len(each) // 2]
    yield Figure(
        "profiles_speedup_steady",
        per_old / steady,
        "previous path, seconds per page (as above)",
        f"{per_old:.2f} s vs median {steady:.2f} s per profile in the warm worker",
        target=">= 5",
        data={"median_new": steady},
    )
    t_fig_old, t_fig_new, n_figs = figure_saving(run_dir, cities)
    yield Figure(
        "figure_save_speedup",
        t_fig_old / t_fig_new,
        "previous figure writer: bbox_inches='tight' PNG, decoded and quantised",
        f"{n_figs} figures: {t_fig_old / n_figs * 1e3:.0f} ms vs "
        f"{t_fig_new / n_figs * 1e3:.0f} ms each",
        target="> 1",
        data={"seconds_old": t_fig_old, "seconds_new": t_fig_new, "figures": n_figs},
    )
    mean_old = sum(old_sizes) / len(old_sizes)
    mean_new = sum(new_sizes) / len(new_sizes)
    yield Figure(
        "profile_page_bytes",
        mean_old / mean_new,
        "previous pages (bundle, stylesheets and figures embedded)",
        f"mean {mean_old / 1e3:.0f} KB vs {mean_new / 1e3:.0f} KB, "
        f"largest new page {max(new_sizes) / 1e3:.0f} KB",
        target="new pages <= 400 KB",
        data={"bytes_old": mean_old, "bytes_new": mean_new},
    )
