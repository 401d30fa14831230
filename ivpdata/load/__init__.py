"""Read and validate the source files in a data directory into tables ready for the database.

Nothing here touches a database: `read_sources` either returns every table or raises a
`DataError` listing every problem found (file, row, column, message).

One module per data file (or group of files that belong together), each checking its rows
against the codes of the files read before it:

- `sources`: data/sources.csv
- `categories`: data/themes.csv and data/categories.csv
- `gemeenten`: data/gemeenten.yaml; `areas`: the boundary files it names
- `measure_types`, `area_groups`: data/measure_types.csv, data/area_groups.csv
- `figures`, `results`, `area_notes`: data/published/ (results and measure figures make the measures)
- `realdata`: data/realdata (CBS population and crime totals)
- `demo`: data/demo_profile.yaml and data/periods.yaml
- `read`: `read_sources`, which reads them all in order (the plans through `ivpdata.plans`)
- `common`: the reader and the codes they share; `source_data`: `SourceData`, the result
"""

from ivpdata.load.read import read_sources
from ivpdata.load.source_data import SourceData

__all__ = ["SourceData", "read_sources"]
