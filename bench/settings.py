"""Input sizes of a benchmark run (``--quick`` or full)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Sizes, in characters of real report text, used by the benchmarks.

    Attributes:
        quick: Whether this is the quick run.
        segment_chars: Text tokenised by both tokenizers.
        clean_chars: Text cleaned and converted by OpenCC.
        pipeline_chars: Corpus for the per-document pipeline benchmarks.
        scale_chars: The 1x corpus of the memory benchmark (also 16x).
        topics_chars: The 1x corpus of the topic-fit benchmark (also 4x, 16x).
        repeat: Timing repetitions (best of).
    """

    quick: bool
    segment_chars: int
    clean_chars: int
    pipeline_chars: int
    scale_chars: int
    topics_chars: int
    repeat: int

    @classmethod
    def quick_run(cls) -> Settings:
        """Sizes for ``--quick`` (under 5 minutes on 2 cores)."""
        return cls(
            quick=True,
            segment_chars=1_500_000,
            clean_chars=1_000_000,
            pipeline_chars=1_500_000,
            scale_chars=400_000,
            topics_chars=300_000,
            repeat=1,
        )

    @classmethod
    def full_run(cls) -> Settings:
        """Sizes for the full run."""
        return cls(
            quick=False,
            segment_chars=9_500_000,
            clean_chars=4_000_000,
            pipeline_chars=6_000_000,
            scale_chars=2_000_000,
            topics_chars=1_000_000,
            repeat=2,
        )

    def as_json(self) -> dict[str, Any]:
        """Return the settings as a dict."""
        return asdict(self)
