"""Train the line model of :mod:`citytext.clean.content` on the development pages.

``python -m bench.train_content [--corpora DIR] [--out FILE]`` fits a logistic
regression (scikit-learn) on every line of the ``web_pages_dev`` pages that are
not held out, and writes its coefficients to
``lib/citytext/resources/content_model.json`` (a few hundred bytes of JSON; no
pickle). :mod:`bench.clean_quality` calls :func:`train` once per left-out
source for the leave-one-source-out figures.

Labels: a raw line is article text when its text (whitespace removed) is
found in the gold body at or after the place where the previous article line
was found; short lines must follow it closely, so that a lone 的 or a date is
not matched far away.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import json
from pathlib import Path

from citytext import clean, resources
from citytext.clean import content, headlines

from . import quality_data as qd

#: Regularisation strength (inverse), fixed before tuning.
C = 1.0
#: A short line counts as article text only this close to the previous match.
SHORT_LINE = 12
SHORT_GAP = 40
#: Groups of sources for cross-fitting the smoothing stage.
FOLDS = 5


def _squash(text: str) -> str:
    return "".join(text.split())


def labels(lines: list[str], gold: str) -> list[int]:
    """Return 1 for each line found in order in the gold body, else 0."""
    g = _squash(gold)
    pos = 0
    out = []
    for line in lines:
        s = _squash(line)
        if not s:
            out.append(0)
            continue
        idx = g.find(s, pos)
        if idx < 0 and len(s) >= SHORT_LINE:
            idx = g.find(s)  # repeated captions, reordered lines
        ok = idx >= 0 and (len(s) >= SHORT_LINE or idx - pos <= SHORT_GAP)
        if ok and idx >= pos:
            pos = idx + len(s)
        out.append(int(ok))
    return out


@functools.cache
def _page_data(
    raw_path: Path, gold: str
) -> tuple[list[list[float]], list[int], list[float], int, list[float]]:
    raw = raw_path.read_text(encoding="utf-8")
    lines, hints = clean.page_lines(raw)
    head = headlines.headline_index(lines)
    x = content.line_features(lines, hints, head)
    y = labels(lines, gold)
    w = [content._weight(t) for t in lines]  # noqa: SLF001 - same weight as the block
    total = sum(w) or 1.0
    return x, y, [v / total for v in w], head, w


def _fit(
    xs: list[list[float]], ys: list[int], ws: list[float], features: tuple[str, ...]
) -> content.Model:
    """Fit one logistic regression on standardised features."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(xs, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    fit = LogisticRegression(C=C, max_iter=2000)
    fit.fit((x - mean) / scale, np.asarray(ys), sample_weight=np.asarray(ws))
    return content.Model(
        features=features,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in fit.coef_[0]),
        intercept=float(fit.intercept_[0]),
    )


def _stage1(pages: list[qd.Page]) -> content.Model:
    xs, ys, ws = [], [], []
    for page in pages:
        x, y, w, _, _ = _page_data(page.raw_path, page.body or "")
        xs += x
        ys += y
        ws += [v * len(pages) for v in w]
    return _fit(xs, ys, ws, content.FEATURES)


def _fold(source: str) -> int:
    return int(hashlib.sha1(source.encode()).hexdigest(), 16) % FOLDS


def train(pages: list[qd.Page]) -> content.Model:
    """Fit the line model and its smoothing stage on ``pages`` (with gold).

    The smoothing stage learns from line-model scores the pages' own sources
    did not train (cross-fitted over :data:`FOLDS` groups of sources), so
    that it sees scores as unsure as on a new site.
    """
    pages = [p for p in pages if p.body is not None]
    line_model = _stage1(pages)
    xs, ys, ws = [], [], []
    for fold in range(FOLDS):
        inner = [p for p in pages if _fold(p.source) != fold]
        outer = [p for p in pages if _fold(p.source) == fold]
        if not outer or not inner:
            continue
        m = _stage1(inner)
        for page in outer:
            x, y, w, head, raw_w = _page_data(page.raw_path, page.body or "")
            xs += content.smooth_features(m.proba(x), raw_w, head)
            ys += y
            ws += [v * len(pages) for v in w]
    smooth = _fit(xs, ys, ws, content.SMOOTH_FEATURES)
    return dataclasses.replace(line_model, smooth=smooth)


def main(argv: list[str] | None = None) -> int:
    """Train on the development pages (held-out sources excluded) and save."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    pages = qd.web_pages(args.corpora)
    if not pages:
        print(f"web_pages_dev not found under {args.corpora or qd.corpora_dir()}")
        return 1
    held = qd.heldout_sources(pages)
    model = train([p for p in pages if p.source not in held])
    out = args.out or resources.RESOURCES_DIR / content.MODEL_FILE
    out.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    for m in (model, model.smooth):
        if m is None:
            continue
        for name, coef in sorted(
            zip(m.features, m.coef, strict=True), key=lambda t: -abs(t[1])
        ):
            print(f"{name:18s} {coef:+.3f}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
