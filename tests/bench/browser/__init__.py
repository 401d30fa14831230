"""The browser section of `make bench`: what people feel, in headless Chromium, against a bare app.

`python -m tests.bench.browser` serves the app and the bare app (`bare/`) on a copy of the database
and of data/ (with one saved presentation made through `ivpdata.presentations`), and prints the
medians of: the first view after the server starts, a sidebar click to a drawn Kaart, the Niveau
radio redrawing the map, the Trends "Wat" multiselect, "Volgende" from one slide to the next in a
saved presentation, presentatiemodus on the Kaart, and the Driehoeksrapportage PDF; each beside
the bare app's same or closest figure, their ratio and the target of issue 18 (within 1.3x of the
bare app; the first view within 1 s of the bare app's; the PDF under 3 s). Beside each total: the
seconds of the server's script runs (timed by `launch.py` from outside the app) and the kilobytes
sent to the browser. A figure ends when the page stops changing (measure.py): every element
redrawn, e.g. the table under the app's map too, not only the end of the script run. Nothing
passes or fails: timings are printed, never asserted. About 3 minutes; `--first`/`--rounds` set
the number of samples, `--quick-rounds` those of the two quick figures (16 samples a side).

Why the bare app is a fair comparison. It is served the same way (the project's
.streamlit/config.toml, 127.0.0.1, the same Streamlit, the same Chromium and window size) and does
the same kind of work with nothing else: a router (`st.navigation` with a sidebar widget, its pages
in `bare/views/`, not `pages/`, so that, as in the app, the router runs every page, a first request
to a page URL included); an Overzicht with an Altair line chart of 72 months and a "Wat"
multiselect choosing its series, plus a small table; a Kaart with Niveau and Maat radios over a
clickable pydeck GeoJsonLayer of Dordrecht's 13 wijken or 132 buurten from the same database,
as high as the app's map and on the app's own empty basemap style. Its shapes are not simplified
(more bytes than the app sends). Where the app has no bare counterpart the closest bare figure
stands in: a slide change is a page switch to the Kaart (the bare sidebar click); presentatiemodus
is a full page load of the Kaart (the bare app's full load of its Kaart); the PDF has an absolute
target only. Headless Chromium draws deck.gl on software GL: a map's first drawing is slower than
on a real screen, for both apps alike.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def run_section(db: Path | None = None) -> None:
    """The browser section in a process of its own (`make bench` calls this last); a clear note
    instead when Chromium is missing."""
    if not CHROMIUM.exists():
        print("Browser: SKIPPED, Chromium not found at /usr/bin/chromium (apt-get install chromium; see README)")
        return
    sys.stdout.flush()  # what the bench printed so far comes first
    command = [sys.executable, "-m", "tests.bench.browser", *(["--db", str(db)] if db else [])]
    subprocess.run(command, check=False, cwd=Path(__file__).parents[3])
