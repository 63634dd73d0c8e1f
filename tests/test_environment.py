"""The conda environment and the pip requirements pin the same packages."""

from __future__ import annotations

import re

import yaml

from citytext import config


def _norm(req: str) -> str:
    name, _, version = req.partition("==")
    return f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}"


def _requirements() -> set[str]:
    lines = (
        (config.PROJ_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    )
    return {_norm(ln.strip()) for ln in lines if ln.strip() and not ln.startswith("#")}


def _environment() -> set[str]:
    env = yaml.safe_load(
        (config.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8")
    )
    pip = next(
        d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d
    )
    return {_norm(r) for r in pip if not r.startswith("-e")}


def test_every_requirement_is_pinned_exactly():
    for req in _requirements():
        assert re.fullmatch(r"[a-z0-9-]+==[\w.]+", req), req


def test_environment_yml_agrees_with_requirements():
    req, env = _requirements(), _environment()
    assert req - env == set(), f"missing from environment.yml: {sorted(req - env)}"
    assert env - req == set(), f"missing from requirements.txt: {sorted(env - req)}"


def test_environment_python_matches_project():
    env = yaml.safe_load(
        (config.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8")
    )
    assert "python=3.11" in env["dependencies"]


def test_installed_versions_match_pins():
    from importlib import metadata

    for req in _requirements():
        name, version = req.split("==")
        assert metadata.version(name) == version, name
