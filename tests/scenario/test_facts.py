"""The cited facts: one folder (seeds/), found through the package's resources, never skipped."""

import importlib.resources
import re
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



SHARED_NOTE_NAMES = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|DESIGN\.md|\.\./shared|shared/seeds|"
                               r"shared/data|\bdocument\s*:", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_no_fact_cites_a_file_of_the_shared_notes():
    # the design notes and the source articles' file names are not publications
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        found = SHARED_NOTE_NAMES.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name} cites {found.group(0)!r}"


def test_every_fact_names_its_publication_date_and_link():
    for fact in facts.load_facts().values():
        assert fact.publication and fact.title, fact.id
        assert ISO_DATE.match(fact.date), (fact.id, fact.date)
        # reference pages revised continuously have no single date; they say so
        assert ISO_DATE.match(fact.published) or fact.published.startswith("undated"), fact.id
        if fact.own_result:
            assert fact.command.startswith("iss-deorbit "), fact.id
            assert "product" in fact.publication, fact.id
        else:
            assert fact.url and fact.url.startswith("https://"), fact.id
        assert fact.citation.startswith(fact.publication)


def test_the_reader_refuses_a_file_name_or_a_missing_link(tmp_path, monkeypatch):
    base = ("id: {id}\nstatement: x\ndate: '2024'\nsource:\n  publication: P\n"
            "  title: T\n  published: '2024'\n")
    cases = {"as-file": "  document: 000_f3d3605d2f0d51b7.txt\n", "no-link": "",
             "bad-link": "  url: www.example.org/page\n"}
    for name, extra in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(base.format(id=name) + extra)
        facts.load_facts.cache_clear()
        with pytest.raises(ValueError, match=f"{name}.yaml"):
            facts.load_facts(folder)
    facts.load_facts.cache_clear()
