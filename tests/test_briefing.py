"""The Driehoeksrapportage: the PDF's pages and text (read back with pypdf), the same figures the
pages compute, demo and public variants, the time it takes, and the pages as images (pypdfium2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import time
from pathlib import Path

import duckdb
import numpy as np
import pypdf
import pypdfium2
import pytest

from ivpdata import briefing, charts, disclosure, formatting, mapping, overview, periods, queries, trends
from ivpdata.briefing_pdf import CONFIDENTIAL, PUBLIC, SECTIONS, TITLE, render_pdf
from ivpdata.config import load_settings

DORDRECHT, ENKHUIZEN = "GM0505", "GM0388"
SETTINGS = load_settings()


def _texts(pdf: bytes) -> list[str]:
    """Text per page, whitespace collapsed (a wrapped line reads as one)."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _last_complete_year(con: duckdb.DuckDBPyConnection, gemeente: str) -> int:
    return overview.default_year(queries.available_years(con, gemeente))


@pytest.fixture(scope="module")
def con(built_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def year_report(con: duckdb.DuckDBPyConnection) -> tuple[briefing.Briefing, bytes, list[str]]:
    """Dordrecht, the Overzicht's default year as the period (so the Overzicht shows the same)."""
    year = _last_complete_year(con, DORDRECHT)
    report = briefing.gather(con, DORDRECHT, *periods.calendar_year(year), SETTINGS)
    pdf = render_pdf(report)
    return report, pdf, _texts(pdf)


@pytest.fixture(scope="module")
def months_report(con: duckdb.DuckDBPyConnection) -> tuple[briefing.Briefing, bytes, list[str]]:
    """Dordrecht, January up to October of that year: a period that is not a calendar year."""
    year = _last_complete_year(con, DORDRECHT)
    report = briefing.gather(con, DORDRECHT, dt.date(year, 1, 1), dt.date(year, 10, 31), SETTINGS)
    pdf = render_pdf(report)
    return report, pdf, _texts(pdf)


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
    assert len(texts) == len(SECTIONS) == 5
    assert f"{TITLE} Dordrecht" in texts[0]
    assert f"Periode: {report.period_text}" in texts[0]
    assert f"Vergeleken met: {report.comparison_text}" in texts[0]
    for number, (text, section) in enumerate(zip(texts, SECTIONS, strict=True), start=1):
        assert section in text, f"page {number} lacks {section!r}"
        assert "Dordrecht" in text and report.period_text in text
        assert f"pagina {number} van 5" in text
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
    October as peilmaand computes the same counts and verdicts per category."""
    report, _, texts = months_report
    assert report.period_text.startswith("januari t/m oktober")
    options = queries.category_options(con, DORDRECHT)
    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    codes = list(options.loc[options["option_kind"] == "categorie", "option_code"])
    counts = queries.target_month_counts(con, DORDRECHT, [DORDRECHT], codes)
    windows = periods.compstat_windows(report.period[1])
    table = trends.compstat(counts, windows, float(SETTINGS["significance_level"]), names)
    year_to_date = table[table["window"] == "Jaar tot nu"].set_index("category_name")
    city = report.city_changes.set_index("Categorie")
    assert set(city.index) <= set(year_to_date.index)
    biggest = year_to_date.loc[list(city.index), "difference"].abs().idxmax()
    assert city.loc[biggest, "current"] == year_to_date.loc[biggest, "current"]
    assert city.loc[biggest, "earlier"] == year_to_date.loc[biggest, "earlier"]
    assert city.loc[biggest, "verdict"] == year_to_date.loc[biggest, "verdict"]
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


def test_generation_time_dordrecht(con):
    year = _last_complete_year(con, DORDRECHT)
    start = time.perf_counter()
    pdf = briefing.briefing_pdf(con, DORDRECHT, dt.date(year, 1, 1), dt.date(year, 10, 1), SETTINGS)
    seconds = time.perf_counter() - start
    print(f"Driehoeksrapportage Dordrecht jan-okt {year}: {seconds:.2f} s, {len(pdf) / 1024:.0f} kB")
    assert seconds < 10  # the hard limit
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 5


def test_enkhuizen_with_little_data(con):
    year = _last_complete_year(con, ENKHUIZEN)
    report = briefing.gather(con, ENKHUIZEN, dt.date(year, 1, 1), dt.date(year, 10, 1), SETTINGS)
    texts = _texts(render_pdf(report))
    assert len(texts) == 5
    assert f"{TITLE} Enkhuizen" in texts[0]
    assert "nog geen resultaten van maatregelen vastgelegd" in texts[4]  # no measures recorded
    if not report.notable:
        assert "Geen verandering per buurt en categorie die buiten het toeval valt" in texts[1]


def test_a_period_without_data_says_so(con):
    """Months after the data end: no figures, no comparison of buurten; no crash."""
    last = int(queries.available_years(con, ENKHUIZEN)["year"].max())
    report = briefing.gather(con, ENKHUIZEN, dt.date(last + 2, 1, 1), dt.date(last + 2, 3, 1), SETTINGS)
    texts = _texts(render_pdf(report))
    assert len(texts) == 5
    assert f"Geen gegevens over {report.period_text} voor Enkhuizen" in texts[0]
    assert "Geen buurt met een stabiel cijfer" in texts[2]


def test_no_plan_and_no_measures(tiny):
    report = briefing.gather(tiny, "GM0001", dt.date(2021, 1, 1), dt.date(2021, 12, 1), SETTINGS)
    texts = _texts(render_pdf(report))
    assert len(texts) == 5
    assert "nog geen veiligheidsplan opgenomen" in texts[3]
    assert "nog geen resultaten van maatregelen vastgelegd" in texts[4]


def test_public_version_follows_the_disclosure_rules(con):
    year = _last_complete_year(con, ENKHUIZEN)
    internal = briefing.gather(con, ENKHUIZEN, dt.date(year, 1, 1), dt.date(year, 10, 1), SETTINGS)
    public = briefing.gather(con, ENKHUIZEN, dt.date(year, 1, 1), dt.date(year, 10, 1), SETTINGS, public=True)
    rules = disclosure.Rules.from_settings(SETTINGS)
    small = internal.city_changes[
        internal.city_changes[["current", "earlier"]].isin(range(1, rules.threshold)).any(axis=1)
    ]
    assert not small.empty, "Enkhuizen's categories should hold small counts"
    texts = _texts(render_pdf(public))
    assert all(PUBLIC in text and CONFIDENTIAL not in text for text in texts)
    shown = public.city_changes.set_index("Categorie")
    for name, row in small.set_index("Categorie").iterrows():
        for column, count in (("Nu", row["current"]), ("Eerder", row["earlier"])):
            if 0 < count < rules.threshold:
                assert shown.loc[name, column] == rules.small_label
    assert rules.small_label in texts[1] and any("minder dan" in note for note in public.city_notes)
    # high impact crime holds zedenmisdrijf: a public map per buurt leaves it out, and says so
    assert public.hotspots.level == internal.hotspots.level == "buurt"
    assert any("zonder zedenmisdrijf" in note for note in public.hotspots.notes)
    assert "zonder zedenmisdrijf" in " ".join(texts[2].split())
    period = (dt.date(year, 1, 1), dt.date(year, 10, 1))
    zeden = queries.area_counts(con, ENKHUIZEN, "buurt", ("1.4.1",), period, None).set_index("area_code")
    assert zeden["incident_count"].sum() > 0, "Enkhuizen's demo data should hold zedenmisdrijf"
    both = internal.hotspots.top_counts.merge(public.hotspots.top_counts, on="area_code", suffixes=("", "_public"))
    assert not both.empty
    for row in both.itertuples():  # the same buurt: its count without its zedenmisdrijf
        assert row.incident_count_public == row.incident_count - zeden.loc[row.area_code, "incident_count"]


def test_public_notable_changes_are_the_public_overzichts(con):
    """In the public version 'Wat valt op' is the public Overzicht's list (trends.public_notable),
    word for word, with its notes; the caption counts only the pairs tested."""
    year = _last_complete_year(con, ENKHUIZEN)
    period = (dt.date(year, 1, 1), dt.date(year, 12, 1))
    comparison = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 1))
    report = briefing.gather(con, ENKHUIZEN, *period, SETTINGS, public=True)
    changes = queries.buurt_category_changes(con, ENKHUIZEN, "buurt", period, comparison)
    rules, min_count = disclosure.Rules.from_settings(SETTINGS), int(SETTINGS["notable_min_count"])
    every = trends.notable_changes(changes, float(SETTINGS["significance_level"]), min_count, len(changes))
    shown, notes = trends.public_notable(every, changes, rules, int(SETTINGS["notable_changes"]))
    assert [c.text for c in report.notable] == [trends.notable_text(r).replace("**", "") for _, r in shown.iterrows()]
    assert report.notable_notes == notes and any("niet in deze lijst" in note for note in notes)
    tested = int(trends.testable(changes, min_count).sum())
    assert tested < len(changes)
    assert f"omdat {formatting.number(tested)} combinaties" in report.notable_caption


def test_choropleth_uses_the_kaart_classes(year_report):
    report, _, _ = year_report
    spec = report.hotspots.chart.to_dict()
    areas = spec["layer"][0]
    scale = areas["encoding"]["color"]["scale"]
    assert scale["domain"] == [entry.label for entry in report.hotspots.legend]
    assert scale["range"] == [entry.colour for entry in report.hotspots.legend]
    assert scale["range"][: len(mapping.SEQUENTIAL)] == mapping.SEQUENTIAL
    assert mapping.UNSTABLE_TEXT in scale["domain"]
    assert spec["projection"]["type"] == "mercator" and spec["projection"]["fit"]["features"]
    labels = {f["properties"]["klasse"] for f in areas["data"]["values"]}
    assert labels <= set(scale["domain"]) and len(labels) > 2
    assert isinstance(charts.choropleth_chart([], report.hotspots.legend, "", "x"), charts.alt.LayerChart)


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
    assert len(images) == 5
    for image in images:
        ink = (image < 200).any(axis=-1).mean()
        assert 0.01 < ink < 0.6  # neither empty nor a black page
    assert _colour_share(images[0], "#fff3e0", 4) > 0.005  # the demo banner
    classes = [entry.colour for entry in report.hotspots.legend]
    assert sum(_colour_share(images[2], colour) > 0.001 for colour in classes) >= 4
    assert _colour_share(images[3], "#d73027", 20) > 0.0005  # 'achter' in red
