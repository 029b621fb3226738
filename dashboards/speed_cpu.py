"""CPU seconds spent by the Streamlit server and by the browser, read from Linux's /proc.

Wall-clock times on a shared machine grow with other people's load; the CPU seconds a rerun
costs the server and the browser barely do, so they compare a version of the app with another
measured on a different day. The browser's processes are those the Playwright driver started
(Chromium's browser, renderer and utility processes); the driver itself and the server are not
counted. Two readings are compared process by process: a process that started in between
counts whole, one that ended in between (a closed page's renderer) does not count, so the
seconds are those of the processes alive at the second reading.
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


@dataclass(frozen=True)
class CpuSnapshot:
    """CPU seconds used so far by each server and browser process alive at one moment."""

    server: dict[int, float]
    browser: dict[int, float]

    def __sub__(self, before: "CpuSnapshot") -> CpuReading:
        def spent(now: dict[int, float], then: dict[int, float]) -> float:
            return sum(seconds - then.get(pid, 0.0) for pid, seconds in now.items())
        return CpuReading(spent(self.server, before.server), spent(self.browser, before.browser))


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

    def read(self) -> CpuSnapshot:
        table = _processes()
        server = {self.server_pid} | _descendants(self.server_pid, table)
        browser = {pid for pid in _descendants(os.getpid(), table) - server
                   if not table[pid][0].startswith(DRIVER_PREFIX)}
        return CpuSnapshot({p: table[p][2] for p in server if p in table},
                           {p: table[p][2] for p in browser})
