"""CJK-capable matplotlib figures.

The project installs a freely licensed Simplified Chinese font (Noto Sans SC,
SIL Open Font License, shipped in the ``pylopdf-fonts-zh-cn`` wheel). Setting a
family name is not enough for matplotlib to find a font outside the system
folders, so :func:`setup` registers the file with ``fontManager.addfont`` and
puts it first in ``font.sans-serif``. Every figure function in the library
calls :func:`setup` and saves through :func:`savefig`.

Figure functions for each analysis live here too; each takes tidy DataFrames
and returns a ``matplotlib.figure.Figure``.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

logger = logging.getLogger(__name__)

FIGURES_SUBDIR = "figures"


@functools.cache
def cjk_font_path() -> Path:
    """Return the path of the bundled Simplified Chinese font (an OTF file).

    Raises:
        RuntimeError: If the font package is not installed.
    """
    try:
        import pylopdf_fonts_zh_cn
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise RuntimeError(
            "The Chinese font package 'pylopdf-fonts-zh-cn' is not installed; "
            "run `make env` to install the pinned requirements."
        ) from exc
    path = Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"
    if not path.is_file():  # pragma: no cover
        raise RuntimeError(f"Chinese font file missing: {path}")
    return path


@functools.cache
def setup() -> str:
    """Register the CJK font with matplotlib and make it the default.

    Returns:
        The font family name now used for all text.
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["figure.dpi"] = 100
    matplotlib.rcParams["savefig.dpi"] = 120
    matplotlib.rcParams["savefig.bbox"] = "tight"
    matplotlib.rcParams["svg.fonttype"] = "none"
    logger.debug("registered CJK font %s from %s", name, path)
    return name


def new_figure(width: float = 8.0, height: float = 5.0, **kwargs) -> tuple[Figure, object]:
    """Create a figure and axes with the CJK font registered.

    Args:
        width: Width in inches.
        height: Height in inches.
        **kwargs: Passed to :func:`matplotlib.pyplot.subplots`.

    Returns:
        ``(fig, ax)`` as from ``plt.subplots``.
    """
    setup()
    return plt.subplots(figsize=(width, height), **kwargs)


def savefig(fig: Figure, run_dir: Path | str, name: str) -> Path:
    """Save ``fig`` as ``run_dir/figures/<name>.png`` and return the path.

    Args:
        fig: The figure.
        run_dir: The run directory.
        name: File stem, e.g. ``"02_topic_terms"``.

    Returns:
        The PNG path.
    """
    out = Path(run_dir) / FIGURES_SUBDIR / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, metadata={"Software": None})
    return out
