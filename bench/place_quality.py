"""Place precision and coverage of the cleaner on hand-annotated articles.

``python -m bench.place_quality [--details]`` cleans every annotated article
with :func:`citytext.clean.clean_document` and compares the place it gives
with the annotation in ``tests/fixtures/places_gold_*.csv``:

- ``regression``: the 90 development pages (``web_pages_dev/raw``) and 60
  People's Daily articles (``rmrb_2019_02``, sampled with
  :data:`REGRESSION_SEED`). The place rules were developed on these.
- ``held-out``: 40 more People's Daily articles (:data:`HELDOUT_SEED`, drawn
  from the rest) and the five seeds, annotated before the rules were measured
  on them.

An annotation row gives the article's own place (``place``, ``prefecture``,
``province``) or none, and a ``flag``: empty (one place), ``national``,
``multi_place``, ``none`` (no place in China, or none that the article is
about), or ``optional`` (a place that is right if given but that the article
need not be given).

Scoring:

- a place given is *right* when it is the annotated place or contains it
  (a prefecture or province of the annotated county); *exact* when it is the
  annotated place; any other place given is wrong, including any place given
  to a national, multi-place or placeless article;
- precision = right / places given;
- coverage = right / articles with one annotated place (flag empty);
- flags = articles flagged ``national`` or ``multi_place`` by the cleaner
  among those annotated so.

The articles live in ``../shared/corpora`` (or ``$CITYTEXT_CORPORA``); the
script says so and exits when they are absent.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from citytext import clean, config, places

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CORPORA = config.SHARED_CORPORA_DIR
WEB_DIR = CORPORA / "web_pages_dev"
RMRB_DIR = CORPORA / "rmrb_2019_02"

#: Seed of the 60 People's Daily articles of the regression set.
REGRESSION_SEED = 20190201
#: Seed of the 40 held-out People's Daily articles (drawn from the rest).
HELDOUT_SEED = 20190228

SETS = {
    "regression": ("places_gold_web.csv", "places_gold_rmrb.csv"),
    "held-out": ("places_gold_heldout.csv",),
}
FLAGS = ("national", "multi_place")


def rmrb_samples() -> tuple[list[str], list[str]]:
    """Return the regression and held-out People's Daily samples (sorted ids).

    Returns:
        60 ids drawn with :data:`REGRESSION_SEED` from the non-duplicate
        articles of ``index.csv``, and 40 drawn with :data:`HELDOUT_SEED`
        from the remaining ones.
    """
    with (RMRB_DIR / "index.csv").open(encoding="utf-8", newline="") as fh:
        ids = sorted(r["id"] for r in csv.DictReader(fh) if not r["duplicate_of"])
    regression = sorted(random.Random(REGRESSION_SEED).sample(ids, 60))
    taken = set(regression)
    rest = [i for i in ids if i not in taken]
    return regression, sorted(random.Random(HELDOUT_SEED).sample(rest, 40))


def source_path(doc_id: str) -> Path:
    """Return the input file of an annotated article."""
    if doc_id.startswith("rmrb-"):
        return RMRB_DIR / "docs" / f"{doc_id}.txt"
    seed = config.SEEDS_DIR / f"{doc_id}.txt"
    return seed if seed.exists() else WEB_DIR / "raw" / f"{doc_id}.txt"


def read_gold(name: str) -> list[dict[str, str]]:
    """Read one annotation file from ``tests/fixtures``."""
    with (FIXTURES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def predicted_place(doc: clean.CleanDoc) -> places.Place | None:
    """Return the gazetteer place that the cleaner's place fields denote."""
    if not doc.city:
        return None
    for cand in places.candidates(doc.city):
        if cand.province == doc.province and (
            not doc.prefecture or cand.prefecture == doc.prefecture
        ):
            return cand
    return None


@dataclass
class Score:
    """Counts for one set of annotated articles."""

    n: int = 0
    single: int = 0
    given: int = 0
    right: int = 0
    exact: int = 0
    flag_gold: int = 0
    flag_hit: int = 0
    errors: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right places over places given (1.0 when none is given)."""
        return self.right / self.given if self.given else 1.0

    @property
    def coverage(self) -> float:
        """Right places over articles with one annotated place."""
        return self.single_right / self.single if self.single else 0.0

    single_right: int = 0

    def line(self, name: str) -> str:
        """Format the counts as one printed line."""
        return (
            f"{name:<11} n={self.n:<4} precision={self.precision:.3f} "
            f"({self.right}/{self.given}, exact {self.exact}) "
            f"coverage={self.coverage:.3f} ({self.single_right}/{self.single}) "
            f"flags={self.flag_hit}/{self.flag_gold}"
        )


def _is_right(pred: places.Place, row: dict[str, str]) -> tuple[bool, bool]:
    """Return (right, exact) for a place given against an annotation row."""
    gold = row["place"]
    if not gold:
        return False, False
    if pred.name == gold:
        return True, True
    return pred.name in {row["prefecture"], row["province"]}, False


def score_rows(rows: list[dict[str, str]]) -> Score:
    """Clean each annotated article and score its place."""
    score = Score()
    for row in rows:
        path = source_path(row["doc_id"])
        raw = path.read_text(encoding="utf-8", errors="replace")
        doc = clean.clean_document(raw, source_file=path.name)
        pred = predicted_place(doc)
        score.n += 1
        flag = row["flag"]
        score.single += flag == ""
        if flag in FLAGS:
            score.flag_gold += 1
            score.flag_hit += any(f in FLAGS for f in doc.flags)
        if pred is None:
            if doc.city:
                score.errors.append(f"{row['doc_id']}: unresolvable {doc.city}")
            elif flag == "":
                score.missed.append(f"{row['doc_id']}: none, gold {row['place']}")
            continue
        score.given += 1
        right, exact = _is_right(pred, row)
        score.right += right
        score.exact += exact
        score.single_right += right and flag == ""
        if not right:
            want = row["place"] or flag
            score.errors.append(f"{row['doc_id']}: gave {pred.name}, gold {want}")
    return score


def evaluate(name: str) -> Score:
    """Score one named set (``regression`` or ``held-out``)."""
    rows = [r for f in SETS[name] for r in read_gold(f)]
    return score_rows(rows)


def missing_inputs() -> Iterator[Path]:
    """Yield required corpus directories that are absent."""
    for path in (WEB_DIR / "raw", RMRB_DIR / "docs"):
        if not path.is_dir():
            yield path


def main(argv: list[str] | None = None) -> int:
    """Print precision and coverage per set; ``--details`` lists the errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list errors")
    parser.add_argument("--set", choices=sorted(SETS), help="one set only")
    args = parser.parse_args(argv)
    missing = list(missing_inputs())
    if missing:
        print(f"SKIP place_quality: {missing[0]} is absent")
        return 0
    for name in [args.set] if args.set else list(SETS):
        score = evaluate(name)
        print(score.line(name))
        if args.details:
            for err in score.errors + score.missed:
                print("   ", err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
