"""Atomic writes: files and whole result folders appear complete or not at all.

A file is written to a temporary file beside it, then renamed into place. A result folder is
written whole into a temporary folder beside it, then swapped with the old one in a single
step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames), so a reader sees the old
result or the new one, never a new summary beside an old time series. Temporaries carry the
writer's process id: a later run removes those whose writer is gone (killed), and leaves alone
those of a run still going.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

# .<name>.<pid>.<random>.tmp (files) and .<name>.<pid>.<random>.dir / .old (folders)
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.(tmp|dir|old)$")


def write_atomic_bytes(path: Path, write) -> None:
    """Call ``write(fileobj)`` on a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_file_set(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write several files into ``folder`` as a set: every one is staged beside its place
    first, and only when all are staged are they renamed in. A failure while staging (a full
    disk) replaces none of them."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.{os.getpid()}.",
                                       suffix=".tmp")
            staged.append((name, Path(tmp)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
    except BaseException:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise
    for name, tmp in staged:
        os.replace(tmp, folder / name)
    return [folder / name for name in files]


@contextlib.contextmanager
def staged_folder(target: Path):
    """Yield an empty temporary folder; on success it replaces ``target`` as a whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                                  suffix=".dir"))
    try:
        yield stage
        os.chmod(stage, 0o755)  # mkdtemp makes 0700; results are meant to be shared
        _swap_into_place(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)  # after a swap: the old result


def _swap_into_place(stage: Path, target: Path) -> None:
    """Put ``stage`` at ``target``; the old ``target``, if any, ends up at ``stage``."""
    if not target.exists():
        try:
            os.rename(stage, target)
            return
        except OSError as exc:  # a concurrent writer made it meanwhile: swap with theirs
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if _exchange(stage, target):
        return
    old = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.old")
    os.rename(target, old)  # a reader may find no folder between these two renames
    os.rename(stage, target)
    os.rename(old, stage)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux >= 3.15); False where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if done == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False  # file system or kernel without exchange
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A killed worker whose parent died too stays a zombie until PID 1 reaps it, which in a
    container may be never: it answers ``kill(pid, 0)`` but writes nothing any more."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (not Linux) or gone meanwhile
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def clean_stale(folder: Path) -> list[Path]:
    """Remove temporaries left in ``folder`` and its result folders by writers now gone."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    for entry in [*folder.iterdir(), *folder.glob("*/.*")]:
        match = _TEMPORARY.match(entry.name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed
