"""The safe YAML reader: bounded memory and time on hostile input, strict text, clear refusals."""

import codecs
import json
import subprocess
import sys
import textwrap

import pytest

from sim.scenario.safe_yaml import MAX_BYTES, MAX_DEPTH, YamlError, decode, load
from sim.scenario.units import QuantityError, parse_date


# Each input is at most MAX_BYTES; the child reports peak memory (ru_maxrss) and time.
HOSTILE = {
    "alias_bomb": "_bomb(9)",  # 9**9 = 387 million strings if expanded
    "alias_bomb_padded": "_bomb(9) + '#' * (MAX_BYTES - len(_bomb(9)) - 1) + '\\n'",
    "deep_flow": "'a: ' + '[' * (MAX_BYTES // 2 - 8) + ']' * (MAX_BYTES // 2 - 8)",
    "deep_block": "''.join(' ' * i + 'k:\\n' for i in range(1400))",
    "many_values": "'v: [' + '1,' * (MAX_BYTES // 2 - 8) + '1]'",
    "long_scalar": "'v: ' + 'x' * (MAX_BYTES - 10)",
    "many_keys": "''.join(f'k{i}: {i}\\n' for i in range(90000))[:MAX_BYTES]",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_refused_within_200_mb_and_1_s(case):
    # A fresh interpreter, so the peak resident size is this input's alone (the import of
    # PyYAML and the reader is measured first and subtracted).
    child = textwrap.dedent(f"""
        import json, time, tracemalloc
        from sim.scenario.safe_yaml import MAX_BYTES, YamlError, decode, load
        {textwrap.indent(_BOMB_SOURCE, '        ').strip()}

        def high_water_mb():  # this process's peak resident size (Linux), reset at exec
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        text = {HOSTILE[case]}
        data = text.encode()
        assert len(data) <= MAX_BYTES, len(data)
        def attempt():
            try:
                load(decode(data, "x.yaml"), "x.yaml")
                return "loaded"
            except YamlError as exc:
                return str(exc)
        start = time.process_time()
        outcome = attempt()
        seconds = time.process_time() - start
        tracemalloc.start()  # a second pass for Python's own count (tracing slows it down)
        attempt()
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        print(json.dumps({{"outcome": outcome, "seconds": seconds, "traced_peak_mb": traced,
                          "resident_peak_mb": high_water_mb()}}))
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # The bounds: <= 200 MB and <= 1 s for any input up to the size limit. CPU time
    # (not wall time) so a busy machine does not fail the test; the peak resident size is the
    # whole child's, interpreter and imports included (tracing slows the reader, so the
    # time is measured on a pass without tracing).
    assert report["resident_peak_mb"] <= 200, report
    assert report["traced_peak_mb"] <= 200, report
    assert report["seconds"] <= 1.0, report
    if case != "long_scalar":
        assert report["outcome"].startswith("x.yaml: line "), report


_BOMB_SOURCE = f"""
def _bomb(levels, width=9):
    lines = ['l0: &l0 [' + ",".join(['"lol"'] * width) + "]"]
    lines += [f"l{{i}}: &l{{i}} [" + ",".join([f"*l{{i - 1}}"] * width) + "]"
              for i in range(1, levels)]
    return "\\n".join(lines) + "\\n"
"""


def test_small_aliases_and_merge_keys_still_work():
    data, lines = load("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b]\n", "a.yaml")
    assert data == {"base": {"x": 1, "y": 2}, "use": {"x": 1, "y": 3}, "list": [{"x": 1, "y": 2}]}
    data["use"]["x"] = 9
    assert data["base"]["x"] == 1  # aliases are copies, not shared objects
    assert lines[("use", "y")] == 4


@pytest.mark.parametrize("text, expected", [
    ("a: 1\nb: 2\na: 3\n", "line 3: key 'a' appears twice in one mapping (first on line 1)"),
    ("a: 1\n---\na: 2\n", "line 2: a second YAML document"),
    ("a: !!python/object/apply:os.system [ls]\n", "line 1: not valid YAML for a scenario: tag "
                                                  "!!python/object/apply:os.system"),
    ("a: *x\n", "line 1: alias *x refers to no finished anchor"),
    ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH}"),
])
def test_refusals_name_the_file_and_line(text, expected):
    with pytest.raises(YamlError) as info:
        load(text, "f.yaml")
    assert str(info.value).startswith("f.yaml: line ")
    assert expected in str(info.value)


def test_dates_stay_text_so_the_schema_can_check_them():
    data, _ = load("epoch: 2025-02-30\nend: 2025-06-01T12:00:00Z\n", "d.yaml")
    assert data == {"epoch": "2025-02-30", "end": "2025-06-01T12:00:00Z"}


@pytest.mark.parametrize("bom, name", [(codecs.BOM_UTF16_LE, "UTF-16"),
                                       (codecs.BOM_UTF16_BE, "UTF-16"),
                                       (codecs.BOM_UTF32_LE, "UTF-32")])
def test_only_utf8_is_read(bom, name):
    encoding = {"UTF-16": "utf-16", "UTF-32": "utf-32"}[name]
    data = "name: x\n".encode(encoding)
    assert data.startswith(bom) or name == "UTF-16"
    with pytest.raises(YamlError, match=f"line 1: the file is {name}"):
        decode(data, "e.yaml")


def test_utf8_with_and_without_bom_read_the_same():
    text = "name: café\n"
    assert decode(codecs.BOM_UTF8 + text.encode(), "b.yaml") == decode(text.encode(), "b.yaml")
    with pytest.raises(YamlError, match=r"e.yaml: line 2: not UTF-8 text \(byte 0xe9"):
        decode("name: x\nd: caf\xe9\n".encode("latin-1"), "e.yaml")


def test_the_size_limit_is_checked_before_parsing():
    with pytest.raises(YamlError, match="limited to 1,048,576 bytes"):
        decode(b"[" * (MAX_BYTES + 1), "big.yaml")


@pytest.mark.parametrize("text, reason", [
    ("2025-02-30", "day is out of range for month"),
    ("2025-13-01", "month must be in 1..12"),
    ("2025-02-29", "day is out of range for month"),  # 2025 is a common year
    ("2100-02-29", "day is out of range for month"),  # century rule: 2100 is common
    ("2025-06-01T24:00:00", "hour must be in 0..23"),
])
def test_dates_that_do_not_exist_are_refused_with_the_reason(text, reason):
    with pytest.raises(QuantityError, match=reason):
        parse_date(text)


def test_real_dates_are_read():
    assert parse_date("2024-02-29").day == 29  # a leap year
    assert parse_date("2000-02-29").day == 29  # 2000 is a leap year (divisible by 400)
    assert parse_date("2025-06-01T12:00:00+02:00").hour == 10  # to UTC
    for text in ("20250601", "2025-W22-1", "2025-152", "June 1 2025"):
        with pytest.raises(QuantityError, match="cannot read"):
            parse_date(text)
