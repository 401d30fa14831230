"""Limits on every file an import reads, in one place, and the checks that apply them to a file
before the expensive work: no upload may keep the server busy or fill its memory. A file over a
limit is refused with a Dutch message naming the file and the limit; nothing is written.

The values fit real exports with room to spare: a national police file filtered to a region
(about a million rows of six columns, 40 MB), the CBS Kerncijfers wijken en buurten (about 150
columns), the CBS Wijk- en buurtkaart as GeoPackage. The Data page reads an upload in a process of
its own and stops it after `READ_SECONDS` (ivpdata.importing.prepare); the command line (and a
rebuild's replay) reads in-process with the same limits and no time budget.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ivpdata.formatting import number
from ivpdata.validate import DataError, Problem

MB = 1024 * 1024

# Files as uploaded (Streamlit's upload limit, server.maxUploadSize, is MAX_BOUNDARY_BYTES in MB).
MAX_TABLE_BYTES = 200 * MB  # CSV, JSON, XLSX
MAX_BOUNDARY_BYTES = 500 * MB  # GeoPackage, zipped shapefile, GeoJSON

# Zip archives (XLSX is one; so is a zipped shapefile): what they unpack to.
MAX_XLSX_UNPACKED_BYTES = 100 * MB  # openpyxl reads about 3 MB of sheet XML a second
MAX_ZIP_UNPACKED_BYTES = 1000 * MB  # a zipped shapefile
MAX_ZIP_MEMBERS = 1_000
MAX_ZIP_RATIO = 100  # unpacked / packed size of one member; a zip bomb has 250 to 1000
ZIP_RATIO_FROM_BYTES = 1 * MB  # small members (styles, empty sheets) may pack better: not counted

# Tables, whatever their format.
MAX_ROWS = 5_000_000
MAX_COLUMNS = 500
MAX_CELLS = 30_000_000  # rows x columns, before the table is built
MAX_FIELD_CHARS = 32_767  # Excel's own limit for a cell
MAX_JSON_DEPTH = 8  # {"value": [{...}]} is 3 deep

# Work and free text.
READ_SECONDS = 60  # an upload is read (and checked against these limits) within this time, or refused
MAX_NAME_CHARS = 100  # 'Geladen door' / --by


def megabytes(size: int) -> str:
    """'200 MB', '1.000 MB', '5,7 MB' (one decimal below 10 MB)."""
    value = size / MB
    return f"{number(value, 0 if value >= 10 or value.is_integer() else 1)} MB"


def over(count: int, unit: str, limit: int) -> str:
    """'20.000 kolommen; de grens is 500'."""
    return f"{number(count)} {unit}; de grens is {number(limit)}"


def refuse(name: str, message: str, row: int | None = None, column: str | None = None) -> DataError:
    return DataError([Problem(name, row, column, message)])


def check_size(size: int, name: str, limit: int) -> None:
    """A file larger than `limit` bytes is refused before it is read."""
    if size > limit:
        raise refuse(name, f"het bestand is {megabytes(size)}; de grens is {megabytes(limit)}")


def check_zip(source: bytes | Path, name: str, limit: int) -> None:
    """A zip archive that could unpack to more than `limit` bytes is refused before anything
    reads it: by the sizes its directory declares (total and per member ratio), then by the
    bytes it really unpacks to, counted as they come (a directory may lie)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            members = archive.infolist()
            _check_declared(members, name, limit)
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(MB):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise refuse(name, f"het bestand pakt uit tot meer dan {megabytes(limit)}; dat is de grens")
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError) as exc:
        raise refuse(name, f"geen leesbaar zip-bestand ({exc})") from exc


def _check_declared(members: list[zipfile.ZipInfo], name: str, limit: int) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise refuse(name, f"het zip-bestand bevat {number(len(members))} delen; de grens is {number(MAX_ZIP_MEMBERS)}")
    declared = sum(member.file_size for member in members)
    if declared > limit:
        message = f"het bestand pakt uit tot {megabytes(declared)}; de grens is {megabytes(limit)}"
        raise refuse(name, message + " (een 'zip-bom'?)")
    for member in members:
        if member.file_size > ZIP_RATIO_FROM_BYTES and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            message = f"'{member.filename}' pakt {ratio} keer groter uit dan het is; de grens is {MAX_ZIP_RATIO} keer"
            raise refuse(name, message + " (een 'zip-bom'?)")
