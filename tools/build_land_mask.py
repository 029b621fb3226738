"""Build sim/data/land_mask_quarter_degree.npz from global-land-mask's 1 km mask (offline).

global-land-mask (MIT licence) ships the GLOBE 30-arc-second land/sea mask (NOAA NGDC, US
government work) as a 21,600 x 43,200 array; loading it costs ~6 s and ~1 GB, too much for
every scenario run. Here each 0.25-degree cell (30 x 30 source cells) is marked land if any
of its source cells is land, so small islands (Ducie, Pitcairn) survive; the result is packed
to bits (~130 kB). Distances to land from it are good to about half a cell (~14 km).

Run: python tools/build_land_mask.py
"""

from pathlib import Path

import numpy as np

BLOCK = 30  # 30 source cells of 1/120 deg = 0.25 deg
OUT = Path(__file__).resolve().parents[1] / "sim" / "data" / "land_mask_quarter_degree.npz"


def main() -> None:
    from global_land_mask import globe

    ocean = globe._mask  # True over water; rows from +90 deg southwards, columns from -180 deg
    rows, cols = ocean.shape[0] // BLOCK, ocean.shape[1] // BLOCK
    blocks = ocean[:rows * BLOCK, :cols * BLOCK].reshape(rows, BLOCK, cols, BLOCK)
    pooled = ~blocks.all(axis=(1, 3))  # land if any source cell is land
    pooled = pooled[::-1]  # row 0 = the band from -90 deg
    np.savez_compressed(OUT, land_bits=np.packbits(pooled, axis=None),
                        shape=np.array(pooled.shape), cell_deg=np.array(0.25))
    print(f"wrote {OUT}: {pooled.shape}, land fraction {pooled.mean():.3f}")


if __name__ == "__main__":
    main()
