"""``iss-deorbit warm``: compile the numba kernels and fill the caches before the first run."""

from __future__ import annotations

import sys

from sim.api import warm_caches

from .exit_status import OK


def warm(args) -> int:
    print("compiling the numba kernels into numba's cache (about a minute, once)...",
          file=sys.stderr, flush=True)
    done = warm_caches(lambda text: print(f"  {text}", file=sys.stderr, flush=True))
    print(f"warm: {done.compiled} kernel signatures compiled, {done.from_cache} already "
          f"cached ({done.cpu_s:.1f} s CPU)")
    return OK
