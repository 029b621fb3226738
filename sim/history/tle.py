"""Two- and three-line element sets, checked line by line before ``sgp4`` reads them.

A set is a line ``1 ...`` followed by a line ``2 ...``; any other line is a name (or blank).
Each line is 69 characters, its last column the modulo-10 checksum of the first 68 (digits
count their value, a minus sign counts 1, everything else 0), and both lines carry the same
catalogue number (columns 3-7). A file holds one object (``checks.check_one_object``).
"""

from __future__ import annotations

from sgp4.api import WGS72, Satrec

from .altitude_history import HistoryError
from .checks import check_one_object
from .elements import Fields, Row, _checked

LINE_LENGTH = 69


def checksum(line: str) -> int:
    """The modulo-10 checksum of a TLE line's first 68 columns."""
    return sum(int(c) if c in "0123456789" else c == "-" for c in line[:LINE_LENGTH - 1]) % 10


def is_set_line(line: str, number: str) -> bool:
    return line.startswith(number + " ")


def _check_line(line: str, number: str, where: str) -> None:
    if len(line) != LINE_LENGTH:
        problem = "truncated" if len(line) < LINE_LENGTH else "too long"
        raise HistoryError(f"{where}: {problem} line {number} of a two-line element set: "
                           f"{len(line)} characters, a TLE line has {LINE_LENGTH} "
                           f"(got {line[:40]!r}...)")
    expected = checksum(line)
    if line[-1] != str(expected):
        raise HistoryError(f"{where}: checksum (column 69) = {line[-1]!r}: the line's digits "
                           f"give {expected}; the line is corrupted")


def _element_set(first: str, second: str, name: str, k: int) -> tuple[str, Row]:
    """(catalogue number, row) of the set whose line 1 is line ``k + 1`` of the file."""
    where1, where2 = f"{name}: line {k + 1}", f"{name}: line {k + 2}"
    _check_line(first, "1", where1)
    _check_line(second, "2", where2)
    cat1, cat2 = first[2:7].strip(), second[2:7].strip()
    if cat1 != cat2:
        raise HistoryError(f"{where2}: catalogue number (columns 3-7) = {cat2!r}: line 1 of "
                           f"the set (line {k + 1}) has {cat1!r}; both lines of a set must be "
                           "of one object")
    try:
        sat = Satrec.twoline2rv(first, second, WGS72)
    except Exception as exc:  # sgp4 raises ValueError with its own wording
        raise HistoryError(f"{where1}: not a valid two-line element set ({exc})") from None
    fields = Fields("epoch (line 1 columns 19-32)", first[18:32].strip(),
                    "mean motion (line 2 columns 53-63)", second[52:63].strip(),
                    "inclination (line 2 columns 9-16)",
                    "eccentricity (line 2 columns 27-33)")
    return cat1, _checked(sat, where1, fields)


def read_tle(text: str, name: str) -> list[Row]:
    """Two- or three-line element sets; lines other than '1 ...'/'2 ...' pairs are names."""
    lines = [line.strip() for line in text.splitlines()]
    rows, catalogue = [], []
    k = 0
    while k < len(lines):
        line = lines[k]
        if is_set_line(line, "1"):
            if k + 1 == len(lines):
                raise HistoryError(f"{name}: line {k + 1}: a line '1 ...' without its line "
                                   "'2 ...' (the file ends); a set is two lines")
            second = lines[k + 1]
            if not is_set_line(second, "2"):
                raise HistoryError(f"{name}: line {k + 2}: expected the second line of a "
                                   f"two-line element set (starting '2 '), got {second[:30]!r}")
            cat, row = _element_set(line, second, name, k)
            catalogue.append(cat)
            rows.append(row)
            k += 2
        elif is_set_line(line, "2"):
            raise HistoryError(f"{name}: line {k + 1}: a line '2 ...' without its line '1 ...'")
        else:
            k += 1
    check_one_object(catalogue, name)
    return rows
