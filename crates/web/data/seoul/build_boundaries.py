#!/usr/bin/env python3
"""Projects and simplifies Seoul's district and neighbourhood boundaries ONCE into boundaries.txt, which the
web crate embeds for its choropleth maps (`/scopes/{code}/map.svg`). Run from this directory with the shared
data beside the repository:

    python3 build_boundaries.py ../../../../../shared/data/seoul

Input: seoul_municipalities_geo_simple.json (districts, SIG_CD) and seoul_dongs_2018_simple.geojson
(neighbourhoods, adm_cd10), from southkorea/seoul-maps, KOSTAT 2018 boundaries under KOGL type 1 (see
ATTRIBUTION.md). Projection: equirectangular scaled by cos(37.55°), units of 10 m, y down, origin at the
city's north-west corner. Simplification: Douglas-Peucker with a 30 m tolerance; rings under 3 points dropped.
Output: one line per area, `code<TAB>ring;ring`, each ring `x,y x,y …` in integers.
"""
import json
import math
import sys

TOLERANCE = 3.0  # in output units (10 m)
K = math.cos(math.radians(37.55))
M_PER_DEG = 111_320.0


def project(lon, lat, west, north):
    return ((lon - west) * K * M_PER_DEG / 10.0, (north - lat) * M_PER_DEG / 10.0)


def dp(points, tol):
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy) or 1e-9
    best, index = 0.0, 0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, index = d, i
    if best > tol:
        return dp(points[: index + 1], tol)[:-1] + dp(points[index:], tol)
    return [points[0], points[-1]]


def rings(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [poly[0] for poly in geometry["coordinates"]]


def main(src):
    districts = json.load(open(f"{src}/seoul_municipalities_geo_simple.json"))["features"]
    dongs = json.load(open(f"{src}/seoul_dongs_2018_simple.geojson"))["features"]
    points = [p for f in districts + dongs for r in rings(f["geometry"]) for p in r]
    west = min(p[0] for p in points)
    north = max(p[1] for p in points)
    lines = []
    for code, f in [(f["properties"]["SIG_CD"], f) for f in districts] + [
        (f["properties"]["adm_cd10"], f) for f in dongs
    ]:
        out = []
        for ring in rings(f["geometry"]):
            projected = [project(lon, lat, west, north) for lon, lat in ring]
            # A closed ring has no chord: simplify its two halves.
            half = len(projected) // 2
            simple = dp(projected[: half + 1], TOLERANCE)[:-1] + dp(projected[half:], TOLERANCE)
            pts = []
            for x, y in simple:
                p = (round(x), round(y))
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) >= 3:
                out.append(" ".join(f"{x},{y}" for x, y in pts))
        if out:
            lines.append(f"{code}\t{';'.join(out)}")
    with open("boundaries.txt", "w") as f:
        f.write("\n".join(sorted(lines)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/data/seoul")
