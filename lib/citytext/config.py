"""Project paths: the one place where the project builds paths.

``PROJ_ROOT`` is derived from this file's location (the library is installed
editable from ``lib/``). Every folder below can be moved with an environment
variable, set in the environment or in a gitignored ``.env`` file at the
project root (the environment wins):

* ``CITYTEXT_DATA`` → ``DATA_DIR`` (default ``<project>/data``; ``raw/``,
  ``interim/``, ``processed/`` and the national reports are inside it);
* ``CITYTEXT_SEEDS`` → ``SEEDS_DIR`` (default ``DATA_DIR/raw/seeds``);
* ``CITYTEXT_LAB_RUN`` → ``LAB_RUN_DIR`` (default ``DATA_DIR/interim/lab``);
* ``CITYTEXT_REPORTS`` → ``REPORTS_DIR`` (default ``<project>/reports``);
* ``CITYTEXT_NOTEBOOKS`` → ``NOTEBOOKS_DIR`` (default ``<project>/notebooks``);
* ``CITYTEXT_SHARED`` → ``SHARED_DIR`` (default ``<project>/../shared``);
* ``CITYTEXT_CORPORA`` → ``SHARED_CORPORA_DIR`` (default ``SHARED_DIR/corpora``).

The packaged resources (dictionaries, rules, lexicons) are found by
:mod:`citytext.resources`, next to the code.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[2]


def _read_dotenv(path: Path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines from a ``.env`` file (comments and blanks skipped)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


_DOTENV = _read_dotenv(PROJ_ROOT / ".env")


def _dir_from_env(name: str, default: Path) -> Path:
    """Return the directory named by environment variable ``name`` or ``default``."""
    raw = os.environ.get(name) or _DOTENV.get(name)
    return Path(raw).expanduser().resolve() if raw else default


DATA_DIR = _dir_from_env("CITYTEXT_DATA", PROJ_ROOT / "data")
RAW_DIR = DATA_DIR / "raw"
INTERIM_DIR = DATA_DIR / "interim"
PROCESSED_DIR = DATA_DIR / "processed"
SEEDS_DIR = _dir_from_env("CITYTEXT_SEEDS", RAW_DIR / "seeds")
NATIONAL_REPORTS_DIR = RAW_DIR / "national_gov_work_reports"
REPORTS_DIR = _dir_from_env("CITYTEXT_REPORTS", PROJ_ROOT / "reports")
NOTEBOOKS_DIR = _dir_from_env("CITYTEXT_NOTEBOOKS", PROJ_ROOT / "notebooks")
SHARED_DIR = _dir_from_env("CITYTEXT_SHARED", PROJ_ROOT.parent / "shared")
SHARED_CORPORA_DIR = _dir_from_env("CITYTEXT_CORPORA", SHARED_DIR / "corpora")
LOCAL_REPORTS_DIR = SHARED_CORPORA_DIR / "cn_local_gov_work_reports_2022_2023"

#: Scratch run directory for interactive notebook sessions (JupyterLab).
LAB_RUN_DIR = _dir_from_env("CITYTEXT_LAB_RUN", INTERIM_DIR / "lab")


def resolve_corpus(corpus: str | os.PathLike[str] | None) -> Path:
    """Resolve a corpus parameter: empty means the bundled seeds.

    Args:
        corpus: A directory path, or ``""``/``None`` for ``SEEDS_DIR``.

    Returns:
        An absolute path (existence is checked by the caller).
    """
    if corpus is None or str(corpus).strip() == "":
        return SEEDS_DIR
    return Path(corpus).expanduser().resolve()


def resolve_run_dir(run_dir: str | os.PathLike[str] | None) -> Path:
    """Resolve a run-directory parameter: empty means ``LAB_RUN_DIR``.

    Args:
        run_dir: A directory path, or ``""``/``None`` for the interactive default.

    Returns:
        An absolute path; the directory is created if missing.
    """
    path = (
        LAB_RUN_DIR if run_dir is None or str(run_dir).strip() == "" else Path(run_dir)
    )
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


#: Set by the runner for the kernels it starts: the relative URL, from a page,
#: of the run's shared ``assets/`` folder. Notebooks then refer to the shared
#: table bundle and to figure files instead of embedding them in every page.
PAGE_ASSETS_ENV = "CITYTEXT_ASSETS"


def page_assets() -> str:
    """Return the shared-assets URL for pages of this run ("" outside a run)."""
    return os.environ.get(PAGE_ASSETS_ENV, "")
