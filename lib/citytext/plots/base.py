"""The figure basics: the bundled CJK font, new figures, saving and showing PNGs.

The project installs a freely licensed Simplified Chinese font (Noto Sans SC,
SIL Open Font License, shipped in the ``pylopdf-fonts-zh-cn`` wheel). Setting a
family name is not enough for matplotlib to find a font outside the system
folders, so :func:`setup` registers the file with ``fontManager.addfont`` and
puts it first in ``font.sans-serif``. Every figure function in the library
calls :func:`setup` and saves through :func:`savefig`.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from citytext import config, names, numfmt

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


def new_figure(
    width: float = 8.0, height: float = 5.0, **kwargs
) -> tuple[Figure, object]:
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


def savefig(
    fig: Figure | None, run_dir: Path | str, name: str, *, show: bool = True
) -> Path | None:
    """Save ``fig`` as ``run_dir/figures/<name>.png``, show it, and close it.

    ``fig`` is ``None`` when a figure function had no rows to draw: nothing
    is saved or shown then.

    In a notebook the saved PNG is displayed as the cell's output, so the
    rendered page and the figures folder show the same image; the figure is
    then closed so long runs do not accumulate open figures (and the inline
    backend does not show it a second time).

    Args:
        fig: The figure.
        run_dir: The run directory.
        name: File stem, e.g. ``"02_topic_terms"``; a stem built from data
            (a place) is made safe with :func:`citytext.names.safe_name`.
        show: Display the PNG when running in a notebook.

    Returns:
        The PNG path, always inside ``run_dir/figures`` (``None`` when
        ``fig`` is ``None``).
    """
    if fig is None:
        return None
    folder = Path(run_dir) / FIGURES_SUBDIR
    stem = names.safe_name(name, max_chars=2 * names.MAX_NAME_CHARS)
    out = names.inside(folder / f"{stem}.png", folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_png(fig, out)
    if show and _in_notebook():
        _show_png(out)
    plt.close(fig)
    return out


#: Margin (inches) drawn around a figure so that what lies just outside it
#: (long tick labels, a legend beside the axes) is drawn too, then cut.
DRAW_MARGIN = 1.0


def _write_png(fig: Figure, out: Path) -> None:
    """Write ``fig`` as a PNG with a 256-colour palette, cut to its content.

    Figures are flat colours and anti-aliased text: a palette image looks the
    same and is about a third of the size of matplotlib's RGBA file, which
    matters for a report with hundreds of profile pages. The figure is drawn
    once into raw RGBA with :data:`DRAW_MARGIN` around it, cut to what is
    drawn plus ``savefig.pad_inches`` (what ``bbox_inches="tight"`` keeps)
    and quantised by Pillow. matplotlib's tight saving lays the figure out
    twice and encodes a PNG that Pillow would decode again; it is used only
    when something reaches beyond the margin.
    """
    from PIL import Image

    image = _draw_once(fig)
    if image is None:
        image = _draw_tight(fig)
    with image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE
        )
    palette.save(out, format="PNG")


def _draw_once(fig: Figure):
    """Draw ``fig`` once with a margin; return it cut to its ink, or ``None``.

    ``None`` means something was drawn up to the edge of the margin (it may
    reach further) or the raw image has an unexpected size. An artist placed
    wholly beyond the margin is not drawn at all, which this cannot see; the
    figure functions here place nothing there (tick labels and legends start
    at the axes).
    """
    import io

    import numpy as np
    from matplotlib.transforms import Bbox
    from PIL import Image

    dpi = matplotlib.rcParams["savefig.dpi"]
    dpi = float(fig.dpi if dpi == "figure" else dpi)
    pad = round(float(matplotlib.rcParams["savefig.pad_inches"]) * dpi)
    width_in, height_in = fig.get_size_inches()
    box = Bbox.from_extents(
        -DRAW_MARGIN, -DRAW_MARGIN, width_in + DRAW_MARGIN, height_in + DRAW_MARGIN
    )
    buf = io.BytesIO()
    # An explicit box: one draw, no layout pass; raw RGBA: no PNG round trip.
    fig.savefig(buf, format="rgba", dpi=dpi, bbox_inches=box, pad_inches=0)
    raw = buf.getbuffer()
    width = int(box.width * dpi)
    height = len(raw) // (4 * width) if width else 0
    if not width or len(raw) != 4 * width * height:
        return None
    pixels = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 4)
    ink = (pixels != pixels[0, 0]).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    if top == 0 or left == 0 or bottom == height or right == width:
        return None
    crop = (
        max(0, left - pad), max(0, top - pad),
        min(width, right + pad), min(height, bottom + pad),
    )  # fmt: skip
    return Image.fromarray(pixels).crop(crop)


def _draw_tight(fig: Figure):
    """Return ``fig`` as matplotlib saves it with ``bbox_inches="tight"``."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 0}
    )
    buf.seek(0)
    return Image.open(buf)


def _show_png(path: Path) -> None:
    """Show a saved PNG: embedded, or by reference from a run's pages.

    When the runner executes the notebook (``CITYTEXT_ASSETS`` set), pages and
    executed notebooks refer to the file in the run directory instead of
    carrying a copy of it: ``<img src="../figures/...">``.
    """
    from IPython.display import HTML, Image, display

    rel = None
    if config.page_assets():
        try:
            rel = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            rel = None
    if rel is None:
        display(Image(filename=str(path)))
        return
    from html import escape
    from urllib.parse import quote

    src = escape("../" + quote(rel.as_posix()), quote=True)
    alt = escape(path.stem, quote=True)
    display(HTML(f'<img class="citytext-figure" src="{src}" alt="{alt}">'))


def _in_notebook() -> bool:
    """Return whether code runs in a Jupyter kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def cn_number(value: float) -> str:
    """Format a number the Chinese way: 2.9e11 → ``2900亿``, 17600 → ``1.76万``.

    See :func:`citytext.numfmt.cn_number` (never scientific notation).
    """
    return numfmt.cn_number(value)


def fit_fontsize(n_labels: int, *, base: float = 10.0, floor: float = 6.0) -> float:
    """Shrink tick labels as their number grows (readable up to a few hundred)."""
    return max(floor, base - max(0, n_labels - 20) * 0.08)
