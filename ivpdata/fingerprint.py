"""A cache key for a page model's arguments, worked out without copying them.

Streamlit hashes a dataclass argument through `dataclasses.asdict`, which deep-copies every table
inside it and then hashes each cell: for the public view's releases (a dozen tables a year) that
was most of a warm rerun. A release carries a digest of what it was made from (`Release.key`);
everything else is small and is hashed as it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import pickle
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ivpdata.disclosure import Release

_SCALARS = (str, int, float, bool, type(None), dt.date, dt.datetime, decimal.Decimal, enum.Enum)


def fingerprint(value: Any) -> bytes:
    """A digest that is equal for equal arguments (tables by their content, a release by its key)."""
    digest = hashlib.blake2b(digest_size=20)
    _feed(digest, value)
    return digest.digest()


def _column_bytes(values: np.ndarray) -> bytes:
    """A column's values as bytes: numbers as they are stored, anything else by its pickled list
    (four times faster than pandas' hash per column: a Kaart's table of 30 columns took 2.3 ms)."""
    return values.tobytes() if values.dtype.kind in "biufM" else pickle.dumps(values.tolist(), protocol=5)


def _feed(digest: Any, value: Any) -> None:
    digest.update(type(value).__qualname__.encode() + b"(")
    if isinstance(value, Release) and value.key:
        digest.update(value.key)
    elif isinstance(value, _SCALARS):
        digest.update(repr(value).encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            digest.update(field.name.encode() + b"=")
            _feed(digest, getattr(value, field.name))
    elif isinstance(value, Mapping):
        for name, item in sorted(value.items(), key=lambda pair: repr(pair[0])):
            _feed(digest, name)
            _feed(digest, item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _feed(digest, item)
    elif isinstance(value, (set, frozenset)):
        for item in sorted(fingerprint(item) for item in value):
            digest.update(item)
    elif isinstance(value, pd.DataFrame):
        digest.update(repr([(str(c), str(t)) for c, t in value.dtypes.items()]).encode())
        for name, column in [("index", value.index), *value.items()]:
            digest.update(repr(name).encode())
            digest.update(_column_bytes(column.to_numpy()))
    elif isinstance(value, pd.Series):
        _feed(digest, value.to_frame())
    else:  # anything else by its pickled form (a type without one is refused by pickle, loudly)
        digest.update(pickle.dumps(value, protocol=5))
    digest.update(b")")
