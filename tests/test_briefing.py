"""The Driehoeksrapportage: the PDF's pages and text (read back with pypdf), the same figures the
pages compute, demo and public variants, and the pages as images (pypdfium2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable
from functools import partial

import duckdb
import numpy as np
import pandas as pd
import pypdf
import pypdfium2
import pytest

from ivpdata import (
    briefing,
    changes,
    charts,
    disclosure,
    formatting,
    mapping,
    overview,
    periods,
    progress,
    queries,
    trends,
)
from ivpdata.briefing_pdf import CONFIDENTIAL, PUBLIC, SECTIONS, TITLE, render_pdf
from ivpdata.config import load_settings
from tests.support import briefings
from tests.support.briefings import Made

DORDRECHT, ENKHUIZEN = "GM0505", "GM0388"
SETTINGS = load_settings()


_texts = briefings.texts
pytestmark = pytest.mark.xdist_group(briefings.GROUP)  # shares its reports with test_briefing_public.py


def _last_complete_year(con: duckdb.DuckDBPyConnection, gemeente: str) -> int:
    return overview.default_year(queries.available_years(con, gemeente))


@pytest.fixture(scope="module")
def made(con: duckdb.DuckDBPyConnection) -> Callable[..., Made]:
    """The briefing of (gemeente, first month, last month, public) gathered and rendered once per
    run (tests/support/briefings.py): several tests read the same report (a test that changes one
    renders its own copy)."""
    return partial(briefings.made, con)


@pytest.fixture(scope="module")
def year_report(con: duckdb.DuckDBPyConnection, made: Callable[..., Made]) -> Made:
    """Dordrecht, the Overzicht's default year as the period (so the Overzicht shows the same)."""
    return made(DORDRECHT, *periods.calendar_year(_last_complete_year(con, DORDRECHT)))


@pytest.fixture(scope="module")
def months_report(con: duckdb.DuckDBPyConnection, made: Callable[..., Made]) -> Made:
    """Dordrecht, January up to October of that year: a period that is not a calendar year."""
    year = _last_complete_year(con, DORDRECHT)
    return made(DORDRECHT, dt.date(year, 1, 1), dt.date(year, 10, 31))


def test_period_texts():
    assert briefing.period_text((dt.date(2026, 1, 1), dt.date(2026, 10, 1))) == "januari t/m oktober 2026"
    assert briefing.period_text((dt.date(2025, 11, 1), dt.date(2026, 10, 1))) == "november 2025 t/m oktober 2026"
    assert briefing.period_text((dt.date(2026, 3, 1), dt.date(2026, 3, 1))) == "maart 2026"
    assert briefing.short_period_text((dt.date(2026, 1, 1), dt.date(2026, 10, 1))) == "jan–okt 2026"
    months = [dt.date(2025, m, 1) for m in (7, 8, 9, 10)] + [dt.date(2024, 3, 1)]
    assert briefing.months_text(months) == "maart 2024 en juli t/m oktober 2025"
    assert briefing.normalise(dt.date(2025, 1, 15), dt.date(2025, 10, 31)) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 10, 1),
    )
    with pytest.raises(ValueError):
        briefing.normalise(dt.date(2025, 10, 1), dt.date(2025, 1, 1))


def test_pages_sections_and_furniture(year_report):
    report, pdf, texts = year_report
    assert pdf.startswith(b"%PDF")
    assert len(SECTIONS) == 5 and 4 <= len(texts) <= 5
    assert f"{TITLE} Dordrecht" in texts[0]
    assert f"Periode: {report.period_text}" in texts[0]
    assert f"Vergeleken met: {report.comparison_text}" in texts[0]
    for number, section in enumerate(SECTIONS[:3]):  # a page each
        assert section in texts[number], f"page {number + 1} lacks {section!r}"
    assert SECTIONS[3] in texts[3] and SECTIONS[4] in texts[-1]  # the measures follow the priorities when they fit
    for number, text in enumerate(texts, start=1):
        assert "Dordrecht" in text and report.period_text in text
        assert f"pagina {number} van {len(texts)}" in text
        assert CONFIDENTIAL in text and PUBLIC not in text
        assert "Bron: politie/CBS (demodata)" in text
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.5)  # A4 portrait, in points
    assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.5)


def test_key_figures_are_the_overzicht_figures(con, year_report):
    report, _, texts = year_report
    year = report.period[0].year
    cards = overview.key_figure_cards(queries.key_figures(con, DORDRECHT, year), year, queries.sources(con))
    assert [f.label for f in report.key_figures] == [card.label for card in cards]
    for figure, card in zip(report.key_figures, cards, strict=True):
        assert figure.value == card.value and figure.value in texts[0]
        assert card.delta is not None
        delta = card.delta.removesuffix(f" t.o.v. {year - 1}")  # '-39 (-0,5%)'
        assert f"{figure.difference} ({figure.change})" == delta
        assert delta in texts[0]
        assert card.per_1000.startswith(f"Per 1.000 inwoners: {figure.per_1000} ")
        assert f"Per 1.000 inwoners: {figure.per_1000} (was {figure.previous_per_1000})" in texts[0]


def test_notable_changes_are_the_overzichts(con, year_report):
    """The Overzicht's 'Wat valt op' for the year: the last twelve months up to its last month."""
    report, _, texts = year_report
    year = report.period[0].year
    reference = trends.reference_month(queries.available_years(con, DORDRECHT), year)
    period, comparison = trends.last_twelve_months(reference)
    changes = queries.buurt_category_changes(con, DORDRECHT, "buurt", period, comparison)
    app = trends.notable_changes(
        changes,
        float(SETTINGS["significance_level"]),
        int(SETTINGS["notable_min_count"]),
        int(SETTINGS["notable_changes"]),
    )
    assert not app.empty, "the demo data should hold a notable change"
    assert [c.text for c in report.notable] == [trends.notable_text(r).replace("**", "") for _, r in app.iterrows()]
    first = trends.notable_text(app.iloc[0]).replace("**", "")  # '▲ Wielwijk, Woninginbraak: 12 → 31 (+158%)'
    assert first in texts[1]
    assert first.removeprefix("▲ ").removeprefix("▼ ") in texts[0]  # the largest one in the summary


def test_a_period_of_months_matches_the_trends_compstat(con, months_report):
    """Jan-Oct against Jan-Oct a year earlier: the Trends page's CompStat 'Jaar tot nu' with
    October as peilmaand computes the same counts per category, and the same verdicts when its
    tests are corrected as the PDF's one table is (Benjamini-Hochberg over that period's tests)."""
    report, _, texts = months_report
    assert report.period_text.startswith("januari t/m oktober")
    options = queries.category_options(con, DORDRECHT)
    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    codes = list(options.loc[options["option_kind"] == "categorie", "option_code"])
    counts = queries.target_month_counts(con, DORDRECHT, [DORDRECHT], codes)
    windows = periods.compstat_windows(report.period[1])
    table = trends.compstat(counts, windows, float(SETTINGS["significance_level"]), names)
    level = float(SETTINGS["significance_level"])
    year_to_date = trends.corrected(table[table["window"] == "Jaar tot peilmaand"], level).set_index("category_name")
    city = report.city_changes.set_index("Categorie")
    assert set(city.index) <= set(year_to_date.index)
    biggest = year_to_date.loc[list(city.index), "difference"].abs().idxmax()
    assert city.loc[biggest, "current"] == year_to_date.loc[biggest, "current"]
    assert city.loc[biggest, "earlier"] == year_to_date.loc[biggest, "earlier"]
    assert (city["verdict"] == year_to_date.loc[list(city.index), "verdict"]).all()
    row = city.loc[biggest]
    assert f"{biggest} {row['Eerder']} {row['Nu']} {row['Verschil']} {row['Verandering']}" in texts[1]
    # the key figure 'Geregistreerde misdrijven' is the sum of the misdrijf categories
    misdrijven = set(names[c] for c in options.set_index("option_code").loc["misdrijven", "category_codes"])
    total = year_to_date.loc[year_to_date.index.isin(misdrijven), "current"].sum()
    assert report.key_figures[0].count == total
    assert report.key_figures[0].value in texts[0]
    assert "Voorlopige cijfers:" in texts[0] or not report.provisional_text


def test_demo_warning_only_with_demo_data(year_report):
    report, _, texts = year_report
    assert report.is_demo
    assert briefing.DEMO_WARNING in texts[0]
    real = dataclasses.replace(report, demo_parts=[])
    assert briefing.DEMO_WARNING not in _texts(render_pdf(real))[0]


def test_dordrecht_over_ten_months_makes_four_or_five_pages(months_report):
    """The whole PDF for Dordrecht, January to October; its time (limit 10 s) is in `make bench`
    (the app's one click, briefing.briefing_pdf, is the Rapportage page's test in test_presentations.py)."""
    _, pdf, _ = months_report
    assert 4 <= len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 5


def test_enkhuizen_with_little_data(con, made):
    year = _last_complete_year(con, ENKHUIZEN)
    report, _, texts = made(ENKHUIZEN, dt.date(year, 1, 1), dt.date(year, 10, 1))
    assert 4 <= len(texts) <= 5
    assert f"{TITLE} Enkhuizen" in texts[0]
    assert "nog geen resultaten van maatregelen vastgelegd" in texts[-1]  # no measures recorded
    if not report.notable:
        assert "Geen verandering per buurt en categorie die buiten het toeval valt" in texts[1]


def test_a_period_without_data_says_so(con):
    """Months after the data end: no figures, no comparison of buurten; no crash."""
    last = int(queries.available_years(con, ENKHUIZEN)["year"].max())
    report = briefing.gather(con, ENKHUIZEN, dt.date(last + 2, 1, 1), dt.date(last + 2, 3, 1), SETTINGS)
    texts = _texts(render_pdf(report))
    assert 4 <= len(texts) <= 5
    assert f"Geen gegevens over {report.period_text} voor Enkhuizen" in texts[0]
    assert "Geen buurt met een stabiel cijfer" in texts[2]


def test_no_plan_and_no_measures(tiny):
    report = briefing.gather(tiny, "GM0001", dt.date(2021, 1, 1), dt.date(2021, 12, 1), SETTINGS)
    texts = _texts(render_pdf(report))
    assert 4 <= len(texts) <= 5
    assert "nog geen veiligheidsplan opgenomen" in texts[3]
    assert "nog geen resultaten van maatregelen vastgelegd" in texts[-1]


def test_public_version_follows_the_disclosure_rules(con, made):
    """The public version of January to October shows the calendar year from the release: small
    counts of the gemeente's categories read '< 5' (or 'x'), and the map per buurt is 'Alle
    misdrijven' without the sensitive categories, and says so."""
    year = _last_complete_year(con, ENKHUIZEN)
    internal = made(ENKHUIZEN, *periods.calendar_year(year))[0]
    public, _, texts = made(ENKHUIZEN, dt.date(year, 1, 1), dt.date(year, 10, 1), public=True)
    assert public.period == periods.calendar_year(year)
    rules = disclosure.Rules.from_settings(SETTINGS)
    small = internal.city_changes[
        internal.city_changes[["current", "earlier"]].isin(range(1, rules.threshold)).any(axis=1)
    ]
    assert not small.empty, "Enkhuizen's categories should hold small counts"
    assert all(PUBLIC in text and CONFIDENTIAL not in text for text in texts)
    shown = public.city_changes.set_index("Categorie")
    for name, row in small.set_index("Categorie").iterrows():
        for column, count in (("Nu", row["current"]), ("Eerder", row["earlier"])):
            if 0 < count < rules.threshold:
                assert shown.loc[name, column] in (rules.small_label, disclosure.HIDDEN_MARK)
    assert rules.small_label in texts[1] and any("minder dan" in note for note in public.city_notes)
    assert public.hotspots.level == "buurt" and "Alle misdrijven" in public.hotspots.title
    assert any("zonder zedenmisdrijf" in note for note in public.hotspots.notes)
    assert "zonder zedenmisdrijf" in texts[2]
    options = queries.category_options(con, ENKHUIZEN).set_index("option_code")["category_codes"]
    kept = [c for c in options["misdrijven"] if c not in rules.sensitive_categories]
    counts = queries.area_counts(con, ENKHUIZEN, "buurt", kept, periods.calendar_year(year), None)
    counts = counts.set_index("area_code")["incident_count"]
    assert not public.hotspots.top_counts.empty
    for row in public.hotspots.top_counts.itertuples():  # a buurt's total without the sensitive categories
        assert row.incident_count == counts[row.area_code]


def test_public_notable_changes_are_the_public_overzichts(con, made):
    """In the public version 'Wat valt op' is the public Overzicht's list (trends.released_comparison
    of the year's release against the year before's), with its notes and caption."""
    year = _last_complete_year(con, ENKHUIZEN)
    report = made(ENKHUIZEN, *periods.calendar_year(year), public=True)[0]
    rules, min_count = disclosure.Rules.from_settings(SETTINGS), int(SETTINGS["notable_min_count"])
    options = queries.category_options(con, ENKHUIZEN)
    releases = briefing.public_releases(con, ENKHUIZEN, options, rules)
    pairs, hidden, _ = trends.released_comparison(releases[year], releases[year - 1])
    listed = trends.notable_changes(
        pairs, float(SETTINGS["significance_level"]), min_count, int(SETTINGS["notable_changes"])
    )
    assert [(c.area_code, c.category_code) for c in report.notable] == list(
        zip(listed["area_code"], listed["category_code"], strict=True)
    )
    assert disclosure.buurt_option_note(rules) in report.notable_notes
    assert hidden and any(f"{formatting.number(hidden)} combinaties" in note for note in report.notable_notes)
    tested = int(trends.testable(pairs, min_count).sum())
    assert f"omdat {formatting.number(tested)} combinaties" in report.notable_caption
    assert report.notable_caption.startswith(trends.RELEASED_SUBJECT.rstrip(","))


def test_choropleth_uses_the_kaart_classes(year_report):
    report, _, _ = year_report
    spec = report.hotspots.chart.to_dict()
    areas = spec["layer"][0]
    scale = areas["encoding"]["color"]["scale"]
    assert scale["domain"] == [entry.label for entry in report.hotspots.legend]
    assert scale["range"] == [entry.colour for entry in report.hotspots.legend]
    assert scale["range"][: len(mapping.SEQUENTIAL)] == mapping.SEQUENTIAL
    assert mapping.UNSTABLE_TEXT in scale["domain"]
    assert spec["projection"]["type"] == "mercator"
    labels = {f["properties"]["klasse"] for f in spec["data"]["values"]}  # the layers' shared data: the areas
    # The map fits the areas with a stable figure (the box their coordinates span, given by its
    # corners) and clips the others. Fitting all areas moves Dordrecht's west edge by 0.003 degrees.
    with_figure = {entry.label for entry in report.hotspots.legend if entry.colour in mapping.SEQUENTIAL}
    classed = [f for f in spec["data"]["values"] if f["properties"]["klasse"] in with_figure]
    points = np.array([p for f in classed for p in _positions(f["geometry"])])
    corners = np.array(spec["projection"]["fit"]["geometry"]["coordinates"])
    np.testing.assert_allclose(corners.min(axis=0), points.min(axis=0), atol=1e-6)  # features: 6 decimals
    np.testing.assert_allclose(corners.max(axis=0), points.max(axis=0), atol=1e-6)
    assert areas["mark"]["clip"] is True
    assert labels <= set(scale["domain"]) and len(labels) > 2
    assert isinstance(charts.choropleth_chart([], report.hotspots.legend, "", "x"), charts.alt.LayerChart)


def _positions(geometry: dict) -> list[list[float]]:
    """Every [lon, lat] of a GeoJSON geometry, a collection's parts included."""
    if geometry["type"] == "GeometryCollection":
        return [p for part in geometry["geometries"] for p in _positions(part)]
    return _points(geometry["coordinates"])


def _points(coordinates: list) -> list[list[float]]:
    """The positions in GeoJSON coordinates nested to any depth."""
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates]
    return [p for part in coordinates for p in _points(part)]


def _colour_share(image: np.ndarray, colour: str, tolerance: int = 12) -> float:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(image[..., :3].astype(int) - rgb).max(axis=-1) <= tolerance).mean())


def test_pages_render_and_look_right(year_report, tmp_path):
    """Each page rendered (pypdfium2): ink on every page, the orange demo banner on page 1, the
    map's colour classes on page 3, the status colours on page 4."""
    report, pdf, _ = year_report
    document = pypdfium2.PdfDocument(pdf)
    images = []
    for number in range(len(document)):
        bitmap = document[number].render(scale=1.0).to_pil()
        bitmap.save(tmp_path / f"page_{number + 1}.png")
        images.append(np.asarray(bitmap.convert("RGB")))
    assert 4 <= len(images) <= 5
    for image in images:
        ink = (image < 200).any(axis=-1).mean()
        assert 0.01 < ink < 0.6  # neither empty nor a black page
    assert _colour_share(images[0], "#fff3e0", 4) > 0.005  # the demo banner
    classes = [entry.colour for entry in report.hotspots.legend]
    assert sum(_colour_share(images[2], colour) > 0.001 for colour in classes) >= 4
    assert _colour_share(images[3], "#d73027", 20) > 0.0005  # 'achter' in red


# --- the PDF says what the screen says -------------------------------------------------------------


def _body(report: briefing.Briefing, text: str) -> str:
    """A page's text without its header and footer."""
    header = f"{TITLE} {report.gemeente_name} · {report.period_text}"
    furniture = [header, CONFIDENTIAL, PUBLIC, " ".join(report.source_line.split())]
    for part in furniture:
        text = text.replace(part, "")
    return re.sub(r"pagina \d+ van \d+", "", text).strip()


FEW_LINES = 600  # characters: about six full lines of body text


def _year_made(con, made, gemeente: str, public: bool = False) -> Made:
    return made(gemeente, *periods.calendar_year(_last_complete_year(con, gemeente)), public)


@pytest.mark.parametrize(
    ("gemeente", "public"), [(DORDRECHT, False), (DORDRECHT, True), (ENKHUIZEN, False), (ENKHUIZEN, True)]
)
def test_the_last_page_is_not_nearly_empty(con, made, gemeente, public):
    """The Rapportage page's default (the Overzicht's year), internal and public: the last page holds
    more than a few lines (the measures follow the priorities when they fit)."""
    report, _, texts = _year_made(con, made, gemeente, public)
    assert len(_body(report, texts[-1])) >= FEW_LINES, texts[-1]


# The slow cases fill the priorities' pages further in between the fast ones (0 to 1 extra
# priorities, and 15 or 27 themes, which push the measures to a page of their own).
FILLED_FURTHER = pytest.mark.slow


@pytest.mark.parametrize(
    ("extra", "themes"),
    [
        (0, 0),
        (1, 0),
        pytest.param(2, 0, marks=FILLED_FURTHER),
        pytest.param(4, 0, marks=FILLED_FURTHER),
        pytest.param(5, 0, marks=FILLED_FURTHER),
        (1, 15),
        (1, 27),
    ],
)
def test_more_priorities_or_measures_never_leave_a_few_lines_alone(con, made, extra, themes):
    """However far the priorities fill their page (more of them, longer lists of themes: with 15 or
    27 the measures no longer fit under them), and with a long list of area measures, no page at
    the end holds only a few lines, and the measures stay on one page."""
    report = _year_made(con, made, ENKHUIZEN)[0]
    first = report.priorities[0]
    first = dataclasses.replace(first, themes=first.themes + ["Thema met een langere naam voor de proef"] * themes)
    more = dataclasses.replace(report, priorities=[first, *report.priorities[1:], *report.priorities[:1] * extra])
    texts = _texts(render_pdf(more))
    assert len(_body(more, texts[-1])) >= FEW_LINES, (len(texts), texts[-1])
    assert sum(f"{SECTIONS[4]} in {more.period_text}" in text for text in texts) == 1
    long = dataclasses.replace(more, area_measures=[f"Maatregel {i} · Centrum · start: 2025" for i in range(80)])
    texts = _texts(render_pdf(long))
    assert len(_body(long, texts[-1])) >= FEW_LINES
    measures = next(i for i, text in enumerate(texts) if f"{SECTIONS[4]} in {long.period_text}" in text)
    assert measures == len(texts) - 1, "the measures section fits one page"
    assert "en nog" in texts[-1] and "pagina Maatregelen" in texts[-1]


def test_a_percentage_only_where_the_kaart_shows_one(con, year_report):
    """The Kaart leaves a percentage out below `min_incidents_for_change` incidents in the
    comparison period ('-2 (van 5 naar 3)'); the PDF's top buurten, categories and 'Wat valt op'
    follow the same rule (the demo data have a top buurt going from 4 to 13: not '+225%')."""
    report, _, texts = year_report
    minimum = int(SETTINGS["min_incidents_for_change"])
    top = report.hotspots.top.assign(before=report.hotspots.top_counts["comparison_count"].to_numpy())
    small = top[(top["before"] > 0) & (top["before"] < minimum)]
    assert not small.empty, "the demo data should have a top buurt on a small base"
    for row in top.itertuples():
        assert ("%" in row.Verandering) == (row.before >= minimum), row
        thresholds = mapping.thresholds_for(SETTINGS, "buurt")
        counts = report.hotspots.top_counts[["incident_count", "comparison_count"]].assign(inhabitants=1000)
        kaart = mapping.area_measures(counts, "count", thresholds)
        assert list(kaart["change_reason"] == "") == [b >= minimum for b in top["before"]]
    assert f"{small.iloc[0]['Buurt']} {small.iloc[0]['Aantal']}" in texts[2]
    assert " naar " in small.iloc[0]["Verandering"] and small.iloc[0]["Verandering"] in texts[2]
    city = report.city_changes
    for row in city.itertuples():
        assert ("%" in row.Verandering) == (row.earlier >= minimum), row
    for found in re.finditer(r"(\d[\d.]*) → (\d[\d.]*) \(([-+][\d.,]+%)\)", " ".join(texts)):
        assert int(found[1].replace(".", "")) >= minimum, found[0]


def test_wat_valt_op_says_1_to_48_without_a_percentage():
    """A buurt going from 1 to 48: significant, listed, but not as '+4.700%'."""
    pairs = pd.DataFrame(
        {
            "area_code": ["BU1", "BU2"],
            "area_name": ["Wielwijk", "Crabbehof"],
            "category_code": ["1.1.1", "1.1.1"],
            "category_name": ["Woninginbraak", "Woninginbraak"],
            "incident_count": [48, 60],
            "comparison_count": [1, 20],
        }
    )
    listed, notes = briefing.notable(pairs, SETTINGS)
    texts = {change.area_name: change.text for change in listed}
    assert texts["Wielwijk"] == "▲ Wielwijk, Woninginbraak: 1 → 48"
    assert texts["Crabbehof"] == "▲ Crabbehof, Woninginbraak: 20 → 60 (+200%)"
    assert changes.rule_note(int(SETTINGS["min_incidents_for_change"])) in notes


def test_the_priorities_page_prints_whole_expected_counts_and_each_margin(year_report):
    """'Verwacht (pad)' of a count is whole (Cybercrime: 1.339, not 1.338,5); each indicator's
    margin is printed beside its status, '–' where there is none (entered by hand)."""
    report, _, texts = year_report
    page = texts[3]
    assert "1.338,5" not in page and "Cybercrime en fraude (misdrijven per jaar) 1.454 (2022)" in page
    rows = pd.concat([p.indicators for p in report.priorities], ignore_index=True).set_index("Indicator")
    assert rows.loc["Cybercrime en fraude (misdrijven per jaar)", "Verwacht (pad)"] == "1.339"
    jongeren = rows.loc["Jongeren per jaar bereikt (jongeren per jaar)"]
    assert jongeren["Marge (±)"] == formatting.MISSING and jongeren["Status"] == progress.ATTENTION
    assert "Marge" in page and "alleen bij geregistreerde incidenten" in page


def test_an_indicator_named_with_its_unit_says_the_unit_once(con, made):
    """'Overlast per 1.000 inwoners (per 1.000 inwoners)' stood in the priorities table: the unit
    is added only to a name that does not end with it."""
    for gemeente in (DORDRECHT, ENKHUIZEN):
        year = _last_complete_year(con, gemeente)
        report, _, _ = made(gemeente, dt.date(year, 1, 1), dt.date(year, 10, 1))
        names = [name for p in report.priorities if not p.indicators.empty for name in p.indicators["Indicator"]]
        assert names, gemeente
        for name in names:
            unit = re.search(r"\(([^()]*)\)$", name)
            assert unit is None or not name[: unit.start()].rstrip().endswith(unit.group(1)), name


def test_the_summary_names_the_highest_areas_in_plain_dutch(year_report):
    """'Hoogste alle misdrijven per 1.000 inwoners per wijk: ...' read wrong: the level first, what
    is counted in brackets."""
    _, _, texts = year_report
    summary = " ".join(" ".join(texts).split())
    assert re.search(r"Hoogste per (wijk|buurt) \([a-z]", summary) and "Hoogste alle" not in summary


INTERNAL_NAME = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b(?:change|count|verdict|difference|previous)\b")


@pytest.mark.parametrize(("gemeente", "first", "last"), [(DORDRECHT, 2, 12), (ENKHUIZEN, 1, 10)])
def test_a_public_pdf_names_nothing_internal(con, made, gemeente, first, last):
    """Only Dutch in the public PDF: no column names such as per_1000, change or change_abs, for a
    year and for a period of months (the months other tests of the public PDF read)."""
    year = _last_complete_year(con, gemeente)
    for start, end in ((dt.date(year, 1, 1), dt.date(year, 12, 1)), (dt.date(year, first, 1), dt.date(year, last, 1))):
        text = " ".join(made(gemeente, start, end, public=True)[2])
        assert not INTERNAL_NAME.findall(text), INTERNAL_NAME.findall(text)
