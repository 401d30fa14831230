"""Streamlit glue: an Altair chart as the Vega-Lite spec st.vega_lite_chart draws, made with public
Altair API only, so that a page can keep the spec (cached) instead of converting the chart anew
in every run (st.altair_chart converts each time: 10-70 ms a chart).

The spec is what st.altair_chart itself sends: the chart's tables are named datasets that
st.vega_lite_chart sends as Arrow (types kept, not JSON text), and Altair's default theme is off
(its fixed 300 px view size is no use in a page that sizes the chart).
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa

_TRANSFORMER = "veiligheidsbeeld_datasets"
# Altair's theme and data transformer are settings of the process: one conversion at a time.
_LOCK = threading.Lock()


def _named_dataset(data: Any, datasets: dict[str, Any]) -> dict[str, str]:
    """Altair data transformer: keep a chart's table as it is, under a name its content gives (equal
    tables, equal names: a page drawn again from the same link sends the same spec)."""
    if isinstance(data, pd.DataFrame):  # Vega-Lite reads no index: one form for equal tables
        data = data.reset_index(drop=True)
    name = "data-" + hashlib.sha256(_content(data)).hexdigest()[:32]
    datasets[name] = data
    return {"name": name}


def _content(data: Any) -> bytes:
    """A table as Arrow data (what Streamlit sends of it: equal names, equal data), else as JSON.
    Not its pickle: that differs between equal frames."""
    if isinstance(data, pd.DataFrame):
        try:
            table = pa.Table.from_pandas(data)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            return bytes(sink.getvalue())
        except (pa.ArrowException, TypeError, ValueError):  # a column Arrow cannot type as it is
            return (data.to_csv() + repr(data.dtypes.to_dict()) + repr(data.index)).encode()
    return json.dumps(data, sort_keys=True, default=str).encode()  # GeoJSON, or records


alt.data_transformers.register(_TRANSFORMER, _named_dataset)


def vega_lite_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec of `chart` with its tables as named datasets (pandas frames)."""
    datasets: dict[str, Any] = {}
    with _LOCK:
        if alt.theme.active == "default":
            with alt.theme.enable("none"):
                spec = _to_dict(chart, datasets)
        else:
            spec = _to_dict(chart, datasets)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}  # a chart's own inline datasets stay
    return spec


def _to_dict(chart: alt.TopLevelMixin, datasets: dict[str, Any]) -> dict[str, Any]:
    with alt.data_transformers.enable(_TRANSFORMER, datasets=datasets):
        return chart.to_dict(validate=False)  # validity: the builders' tests (tests/test_charts.py and others)
