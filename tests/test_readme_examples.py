"""The README's Python examples run as written (skyfield's rule: documentation is tested)."""

import doctest
import re
from pathlib import Path

import sim.api

ROOT = Path(__file__).resolve().parents[1]


def test_readme_python_blocks_run(capsys):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README shows the API"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "controlled_reentry" in out or "insufficient_propellant" in out
    assert "2026-" in out  # the planned reboost stop date


def test_api_docstring_example_runs():
    failures, tried = doctest.testmod(sim.api, verbose=False)
    assert tried > 0 and failures == 0
