"""The cited facts: one folder (seeds/), found through the package's resources, never skipped."""

import importlib.resources
import tomllib
from pathlib import Path

import pytest

from sim.scenario import facts
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_resource_is_the_seeds_folder():
    resource = Path(str(importlib.resources.files("sim") / "data" / "facts"))
    assert facts.seeds_dir() == resource
    # one source of truth: the package's facts are the files of seeds/, not copies
    assert resource.resolve() == (ROOT / "seeds").resolve()
    ids = set(facts.load_facts())
    assert ids == {p.stem for p in (ROOT / "seeds").glob("*.yaml")}
    assert "iss-mass-2024" in ids


def test_a_wheel_ships_the_facts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "data/facts/*.yaml" in config["tool"]["setuptools"]["package-data"]["sim"]


def test_citations_are_checked_not_skipped_when_facts_are_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("ISS_DEORBIT_SEEDS", str(tmp_path))
    facts.load_facts.cache_clear()
    try:
        with pytest.raises(facts.FactsMissing):
            facts.load_facts()
        with pytest.raises(ScenarioError, match="cannot check the cited facts"):
            load_scenario(ROOT / "scenarios" / "nasa-2030.yaml")
    finally:
        monkeypatch.delenv("ISS_DEORBIT_SEEDS")
        facts.load_facts.cache_clear()

