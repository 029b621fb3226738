"""CPU seconds spent by the Streamlit server and by the browser, read from Linux's /proc.

Wall-clock times on a shared machine grow with other people's load; the CPU seconds a rerun
costs the server and the browser barely do, so they compare a version of the app with another
measured on a different day. The browser's processes are those the Playwright driver started
(Chromium's browser, renderer and utility processes); the driver itself and the server are not
counted. A process that ends between two readings takes its seconds with it: readings are
made within one visit, while its page is open.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICK_S = 1.0 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01
DRIVER_PREFIX = "node"  # Playwright's driver: its own work is the measurement's, not the page's


@dataclass(frozen=True)
class CpuReading:
    server_s: float
    browser_s: float

    def __sub__(self, other: "CpuReading") -> "CpuReading":
        return CpuReading(self.server_s - other.server_s, self.browser_s - other.browser_s)


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command name, parent pid, user + system CPU s) of a live process, else None."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    name, rest = text[text.index("(") + 1:text.rindex(")")], text.rsplit(")", 1)[1].split()
    return name, int(rest[1]), (int(rest[11]) + int(rest[12])) * TICK_S  # ppid, utime, stime


def _processes() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def _descendants(root: int, table: dict[int, tuple[str, int, float]]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (_, parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


class CpuMeter:
    """Reads the CPU seconds used so far by the server (``server_pid`` and its children) and by
    the browser (this process's other descendants, the Playwright driver excepted)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def read(self) -> CpuReading:
        table = _processes()
        server = {self.server_pid} | _descendants(self.server_pid, table)
        browser = {pid for pid in _descendants(os.getpid(), table) - server
                   if not table[pid][0].startswith(DRIVER_PREFIX)}
        return CpuReading(sum(table[p][2] for p in server if p in table),
                          sum(table[p][2] for p in browser))
