"""The H3 cells of incident events: the resolutions the map offers and each event's cell at every
one of them, stored with the event when it is written (`incident_events.h3_r8` and so on).

Only h3 and numpy: an import's reader process (ivpdata.importing) uses it without loading the map
and disclosure code that ivpdata.hotspots needs for drawing."""

from __future__ import annotations

import h3.api.basic_int as h3
import numpy as np

# Resolutions the map offers, with the average cell area a reader can picture. Each has its
# column in incident_events (h3_r8, ...), filled by `cell_columns`.
RESOLUTIONS = {8: "grof (ca. 0,7 km²)", 9: "middel (ca. 0,1 km²)", 10: "fijn (ca. 0,015 km²)"}
DEFAULT_RESOLUTION = 9
EVENT_DECIMALS = 6  # stored event coordinates: about 0.1 m


def cells_for(lat: np.ndarray, lon: np.ndarray, resolution: int) -> np.ndarray:
    """H3 cell per point as unsigned 64-bit integers (the form stored in the database)."""
    pairs = zip(np.asarray(lat).tolist(), np.asarray(lon).tolist(), strict=True)
    return np.fromiter(
        (h3.latlng_to_cell(a, b, resolution) for a, b in pairs),
        dtype=np.uint64,
        count=len(lat),
    )


def cell_columns(lat: np.ndarray, lon: np.ndarray) -> dict[str, np.ndarray]:
    """The h3_r<resolution> columns of incident_events for these points."""
    return {f"h3_r{resolution}": cells_for(lat, lon, resolution) for resolution in RESOLUTIONS}
