"""Every project folder can be moved with an environment variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from citytext import config

OVERRIDES = {
    "CITYTEXT_DATA": "DATA_DIR",
    "CITYTEXT_SEEDS": "SEEDS_DIR",
    "CITYTEXT_LAB_RUN": "LAB_RUN_DIR",
    "CITYTEXT_REPORTS": "REPORTS_DIR",
    "CITYTEXT_NOTEBOOKS": "NOTEBOOKS_DIR",
    "CITYTEXT_SHARED": "SHARED_DIR",
    "CITYTEXT_CORPORA": "SHARED_CORPORA_DIR",
}
PATHS = sorted(n for n in dir(config) if n.endswith("_DIR") or n == "PROJ_ROOT")


def _paths(env: dict[str, str]) -> dict[str, str]:
    """The config paths as a fresh interpreter sees them with ``env``."""
    code = (
        "import json; from citytext import config; "
        f"print(json.dumps({{n: str(getattr(config, n)) for n in {PATHS!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CITYTEXT_")}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def test_each_variable_moves_its_folder(tmp_path):
    env = {var: str(tmp_path / var.lower()) for var in OVERRIDES}
    paths = _paths(env)
    for var, name in OVERRIDES.items():
        assert paths[name] == str((tmp_path / var.lower()).resolve()), var


def test_derived_folders_follow_their_parent(tmp_path):
    paths = _paths(
        {"CITYTEXT_DATA": str(tmp_path / "d"), "CITYTEXT_SHARED": str(tmp_path / "s")}
    )
    assert paths["RAW_DIR"] == str(tmp_path / "d" / "raw")
    assert paths["SEEDS_DIR"] == str(tmp_path / "d" / "raw" / "seeds")
    assert paths["LAB_RUN_DIR"] == str(tmp_path / "d" / "interim" / "lab")
    assert paths["NATIONAL_REPORTS_DIR"].startswith(str(tmp_path / "d"))
    assert paths["LOCAL_REPORTS_DIR"].startswith(str(tmp_path / "s" / "corpora"))


def test_every_folder_outside_the_package_has_a_variable(tmp_path):
    """No path stays under the project or ../shared once every variable is set."""
    env = {var: str(tmp_path / var.lower()) for var in OVERRIDES}
    paths = _paths(env)
    root = paths.pop("PROJ_ROOT")
    for name, path in paths.items():
        assert not path.startswith(root), (name, path)


def test_dotenv_lines(tmp_path):
    env = tmp_path / ".env"
    env.write_text(
        "# comment\n\nCITYTEXT_DATA = '/x/data'\nCITYTEXT_REPORTS=\"/y\"\nnoise\n",
        encoding="utf-8",
    )
    assert config._read_dotenv(env) == {  # noqa: SLF001 - the parser itself
        "CITYTEXT_DATA": "/x/data",
        "CITYTEXT_REPORTS": "/y",
    }
    assert config._read_dotenv(tmp_path / "missing") == {}  # noqa: SLF001
