"""Place precision and coverage on the annotated articles (floors under measured).

The articles are in ``../shared/corpora`` (or ``$CITYTEXT_CORPORA``); the
tests skip when they are absent. ``python -m bench.place_quality --details``
prints the figures and the errors.
"""

import pytest

from bench import place_quality

pytestmark = pytest.mark.skipif(
    any(True for _ in place_quality.missing_inputs()),
    reason="the shared corpora are absent",
)


def test_samples_match_the_annotations():
    regression, heldout = place_quality.rmrb_samples()
    gold = {r["doc_id"] for r in place_quality.read_gold("places_gold_rmrb.csv")}
    held = {r["doc_id"] for r in place_quality.read_gold("places_gold_heldout.csv")}
    assert set(regression) == gold
    assert set(heldout) <= held and not set(regression) & set(heldout)


@pytest.mark.parametrize(
    ("name", "precision", "coverage"),
    [("regression", 0.93, 0.88), ("held-out", 0.95, 0.94)],
)
def test_place_precision_and_coverage(name, precision, coverage):
    score = place_quality.evaluate(name)
    assert score.precision >= precision, score.errors
    assert score.coverage >= coverage, score.missed
