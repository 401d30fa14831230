"""Charts and tables as every page draws them: with an export menu in the normal view (PNG, SVG,
CSV, XLSX, each with its source and the rules applied), large and without menus in presentatiemodus.

Streamlit glue; the files themselves are made by `ivpdata.exports`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping, Sequence
from functools import cache, partial
from typing import Any, Literal

import altair as alt
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard import chart_spec, connection, frame, permalinks, selection
from dashboard.routes import Param
from ivpdata import charts, disclosure, exports, formatting, mapping, periods, provenance, queries, trends
from ivpdata.config import DATA_DIR, SETTINGS_FILE, load_settings
from ivpdata.exports import Metadata
from ivpdata.fetch import Fetch
from ivpdata.page_models import overzicht, prioriteiten, wijkprofiel
from ivpdata.page_models import trends as trends_model
from ivpdata.safetext import markdown_literal

INTERNAL = "Intern: exacte aantallen, geen onthullingsregels toegepast; niet voor publicatie"


def meta(
    title: str,
    period: str,
    *,
    demo: bool,
    filters: dict[str, str] | None = None,
    source: str = "politie en CBS, bewerkt door Veiligheidsbeeld",
    provisional: str = "nee",
    origin: str | None = None,
) -> Metadata:
    """Metadata of a view on screen: gemeente and the rules in force added to what the page knows.
    `origin`: the provenance of what is shown (ivpdata.provenance); 'gemengd' says so in the header."""
    scope = selection.current()
    disclosure = selection.disclosure_rules().summary() if selection.public() else INTERNAL
    mixed = origin == provenance.MIXED
    demo = demo or origin == provenance.DEMO or mixed
    return Metadata(
        title=title,
        source=source + ("; deels demodata (gegenereerd)" if mixed else "; demodata (gegenereerd)" if demo else ""),
        period=period,
        filters={"Gemeente": scope.gemeente_name, **(filters or {})},
        provisional=provisional,
        demo=demo,
        disclosure=disclosure,
        mixed=mixed,
    )


# Small badges beside a figure (Streamlit Markdown), by provenance.
PROVENANCE_BADGES = {
    provenance.DEMO: ":orange-badge[Demodata]",
    provenance.MIXED: ":violet-badge[Gemengd: echt en demo]",
}


# A focus ring on every control reached with the keyboard (WCAG 2.4.7): Streamlit's own is a faint
# background on links and menu items and none on charts and tables. Dark blue, 8:1 on white.
def provenance_badge(origin: str | None, note: bool = False) -> None:
    """The page's badge for where its figures come from: 'Demodata' (with selection.DEMO_NOTE under it when
    `note`), or 'Gemengd: echt en demo' with one line on what that means, when real figures for
    some areas or months stand beside demo data for others."""
    if origin == provenance.MIXED:
        st.badge(provenance.LABELS[provenance.MIXED], icon=":material/call_split:", color="violet")
        st.caption(
            "Deze cijfers zijn **gemengd**: echte cijfers voor een deel van de buurten of maanden, demodata voor de "
            "rest. Periodes met een andere herkomst of dekking worden niet met elkaar vergeleken."
        )
    elif origin == provenance.DEMO:
        selection.demo_badge()
        if note:
            st.caption(selection.DEMO_NOTE)


def chart(
    about: Metadata,
    key: str,
    build: Callable[..., alt.TopLevelMixin],
    *args: Any,
    data: pd.DataFrame | None = None,
    slide_height: int | None = None,
    title_above: bool = False,
    **kwargs: Any,
) -> None:
    """The Altair chart `build(*args, **kwargs)` (a pure builder from `ivpdata.charts`); `data` is
    the table behind it, offered as CSV and XLSX. Large and without a menu in presentatiemodus,
    `slide_height` pixels high there when the page shows it alone. `title_above`: outside
    presentatiemodus its title is a heading of the page (see `_title_above`)."""
    screen = selection.presenting()
    name = f"{build.__module__}.{build.__qualname__}"
    spec = _spec(name, args, kwargs, screen, slide_height, _build=build)
    st.vega_lite_chart(_title_above(spec) if title_above and not screen else spec, width="stretch")
    if not screen:
        export_menu(about, key, chart=lambda: build(*args, **kwargs), data=data)


def _title_above(spec: dict[str, Any]) -> dict[str, Any]:
    """Show the chart's title as a subheader and its subtitle as a caption; the spec without them.
    For a chart whose title follows widgets on its page ("Alle misdrijven per maand", then
    "Geregistreerde incidenten per maand"): the browser draws a chart whose spec changed anew
    (50-100 ms), but updates one whose data alone changed in place. Its export keeps the title."""
    title = spec.get("title")
    heading = title if isinstance(title, dict) else {"text": title}
    text, subtitle = heading.get("text"), heading.get("subtitle") or []
    if text:
        st.subheader(markdown_literal(text if isinstance(text, str) else " ".join(text)), anchor=False)
    lines = [subtitle] if isinstance(subtitle, str) else subtitle
    explanation = st.empty()  # there with or without a subtitle: the chart keeps its place on the page
    if lines:
        explanation.caption("  \n".join(markdown_literal(line) for line in lines))
    return {key: value for key, value in spec.items() if key != "title"}


# Frames are keyed by their pickle: Streamlit's own DataFrame hash fails (and logs it) on the
# list columns some chart data carry.
@st.cache_data(show_spinner=False, max_entries=500, hash_funcs={pd.DataFrame: pickle.dumps})
def _spec(
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    screen: bool,
    slide_height: int | None,
    _build: Callable[..., alt.TopLevelMixin],
) -> dict[str, Any]:
    """The Vega-Lite spec Streamlit draws for a chart, kept per builder and arguments: building
    and converting an Altair chart costs 50-150 ms (Prioriteiten has several), a cached spec ~1 ms."""
    built = _build(*args, **kwargs)
    return chart_spec.vega_lite_spec(charts.for_screen(built, slide_height) if screen else built)


def table(
    frame: pd.DataFrame,
    about: Metadata,
    key: str,
    decimals: Mapping[str, int | None] | None = None,
    notes: Sequence[str] = (),
    *,
    counts: Sequence[str] = (),
    derived: dict[str, list[str]] | None = None,
    lines: list[list[str]] | None = None,
    sensitive: pd.Series | None = None,
    static: bool = False,
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """A table in Dutch number format, with its export menu (not in presentatiemodus). In a public
    view the disclosure rules hide small `counts` (and the columns `derived` from them) as '< 5' or
    'x', with notes saying why; `lines` as in `disclosure.protect_table`. `static`: a plain table, not
    sortable, for a few rows that must print whole."""
    if selection.public() and counts:
        protected = disclosure.protect_table(
            frame, counts, selection.disclosure_rules(), derived=derived, lines=lines, sensitive=sensitive
        )
        frame, notes = protected.frame, [*notes, *protected.notes]
    # A column a public view filled with labels only ('x') has no number to give decimals to.
    decimals = {c: d for c, d in (decimals or {}).items() if c not in frame or not _labels_only(frame[c])}
    figures = formatting.figure_columns(frame)  # numbers with '< 5' or 'x' among them: right, as numbers are
    if static:  # an HTML table: it wraps to the page when printed, where a dataframe's canvas is cut off
        _html_table(frame, decimals, figures)
    else:
        aligned = {column: st.column_config.Column(alignment="right") for column in figures}
        columns = {**aligned, **(column_config or {})}
        grid(formatting.dutch_table, frame, decimals, title=about.title, column_config=columns)
    for note in notes:
        st.caption(note)
    if not selection.presenting():
        export_menu(about, key, data=frame)


def grid(
    style: Callable[..., Styler],
    *args: Any,
    title: str,
    column_config: Mapping[str, Any] | None = None,
    height: int | Literal["auto"] = "auto",
) -> None:
    """A sortable table (Streamlit's data grid) of `style(*args)`: a pandas Styler made by a pure
    function of `args` (Dutch numbers, colours), kept per function and arguments. `title` is the
    grid's accessible name for a screen reader."""
    name = f"{style.__module__}.{style.__qualname__}"
    _grid(name, args, title, dict(column_config or {}), height, _style=style)


# Kept, Streamlit replays a table's element: a Styler's display values are made cell by cell on
# every call (the Kaart per buurt's 132 rows: about 25 ms of each run; Prioriteiten's tables 35 ms),
# with a new random id each time, so that the browser drew an unchanged table anew. Frames are
# keyed by their pickle, as in `_spec`.
@st.cache_data(show_spinner=False, max_entries=64, hash_funcs={pd.DataFrame: pickle.dumps})
def _grid(
    name: str,
    args: tuple[Any, ...],
    title: str,
    column_config: dict[str, Any],
    height: int | Literal["auto"],
    _style: Callable[..., Styler],
) -> None:
    """`grid`'s table, drawn once per function (`name`) and arguments; then replayed."""
    st.dataframe(
        _style(*args),
        alt=title,
        hide_index=True,
        width="stretch",
        placeholder=formatting.MISSING,
        height=height,
        column_config=column_config,
    )


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs={pd.DataFrame: pickle.dumps})
def _html_table(frame: pd.DataFrame, decimals: dict[str, int | None], figures: list[str]) -> None:
    """A plain HTML table in Dutch number format, its figures aligned right; kept as `_grid` is."""
    styled = formatting.dutch_table(_literal_texts(frame), decimals)
    # !important: Streamlit sets each cell's alignment by its type (text: left) in the cell's own style.
    st.table(styled.set_properties(subset=figures, **{"text-align": "right !important"}), hide_index=True)


def _literal_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text cells as literal Markdown: st.table renders a cell as Markdown."""
    return frame.apply(lambda column: column.map(lambda v: markdown_literal(v) if isinstance(v, str) else v))


def _labels_only(column: pd.Series) -> bool:
    """A column of labels ('< 5', 'x') and gaps, without a number."""
    return column.dtype == object and all(isinstance(v, str) or formatting.is_missing(v) for v in column)


def releases(gemeente_code: str, options: pd.DataFrame) -> dict[int, disclosure.Release]:
    """The public release of every complete calendar year of a gemeente (made once per database,
    shared by every session: read it, never change it)."""
    categories = _categories(options)
    codes = tuple(sorted({code for found in categories.values() for code in found}))
    buurten = tuple(connection.query(queries.buurten, gemeente_code=gemeente_code)["area_code"])
    inputs: dict[str, connection.Input] = {
        "yearly": (
            queries.buurt_year_counts,
            dict(gemeente_code=gemeente_code, buurt_codes=buurten, category_codes=codes),
        ),
        "buurten": (queries.buurten, dict(gemeente_code=gemeente_code)),
    }
    return connection.shared(
        disclosure.make_releases, inputs, options=tuple(sorted(categories.items())), rules=selection.disclosure_rules()
    )


def target_members(gemeente_code: str, target: str, level: str) -> tuple[str, tuple[str, ...]]:
    """The level and areas whose public figures make up a target's (an area group: its wijken or
    buurten, `disclosure.outlined_members`, made once per group and database version)."""
    if level in ("gemeente", "wijk", "buurt"):
        return level, (target,)
    inputs: dict[str, connection.Input] = {
        "outlines": (queries.target_outlines, dict(gemeente_code=gemeente_code, target_codes=(target,))),
        "shapes": (queries.area_geometries, dict(gemeente_code=gemeente_code, area_level="buurt")),
        "buurten": (queries.buurten, dict(gemeente_code=gemeente_code)),
    }
    return connection.derived(disclosure.outlined_members, inputs)


def released_trends(
    data: pd.DataFrame,
    gemeente_code: str,
    levels: dict[str, str],
    codes: dict[str, tuple[str, ...]],
    base_year: int | None,
    options: pd.DataFrame,
) -> tuple[pd.DataFrame, list[str]]:
    """Yearly trend data as the public release has it (`trends.public_chart_data`), with notes."""
    rules, found = selection.disclosure_rules(), releases(gemeente_code, options)
    members = {t: target_members(gemeente_code, t, levels[t]) for t in set(data["target_code"])}
    drawn = [found[year] for year in sorted(set(pd.to_datetime(data["Periode"]).dt.year)) if year in found]
    kept = {option: disclosure.comparable_codes(wanted, drawn, rules) for option, wanted in codes.items()}

    def figure(target: str, option: str, year: int) -> tuple[float, str] | None:
        level, parts = members[target]
        return disclosure.public_figure(found[year], level, parts, kept[option], rules) if year in found else None

    shown, notes, reasons = trends.public_chart_data(data, figure, base_year, rules)
    if any(len(kept[option]) < len(wanted) for option, wanted in codes.items()):
        notes.append(disclosure.COMPARABLE_TOTALS_NOTE)
    return shown, [*notes, *([disclosure.buurt_option_note(rules)] if disclosure.NOT_PUBLIC in reasons else [])]


def released_compstat(
    table: pd.DataFrame, gemeente_code: str, target: str, level: str, options: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """A CompStat table of calendar years with the public release's figures (`trends.released_compstat`)."""
    rules, found = selection.disclosure_rules(), releases(gemeente_code, options)
    shown_level, parts = target_members(gemeente_code, target, level)

    def figure(category: str, year: int) -> tuple[float, str]:
        if year not in found:
            return 0.0, disclosure.NOT_PUBLIC
        return disclosure.public_figure(found[year], shown_level, parts, (category,), rules)

    return trends.released_compstat(table, figure, rules)


def public_kaart_period(year: int, years: pd.DataFrame) -> tuple[periods.Period, periods.Period | None]:
    """The public Kaart's calendar year and the one before (in the URL; a note when a link asked
    for another period). Ends the page when there is no complete year."""
    period, comparison = periods.public_periods(year, [int(y) for y in years.loc[years["months"] == 12, "year"]])
    if note := periods.public_note(st.query_params.get(Param.PERIODE), period):
        st.info(note)
    if period is None:
        frame.stop_page()
    permalinks.to_url(Param.PERIODE, period)
    permalinks.to_url(Param.VERGELIJKING, comparison)
    return period, comparison


def public_kaart(
    gemeente_code: str, codes: tuple[str, ...], level: str, options: pd.DataFrame, levels_note: str | None = None
) -> tuple[dict[int, disclosure.Release], tuple[str, ...], str]:
    """The public Kaart's releases, and the categories and level it may show (a note when they
    differ from the chosen ones, or when `levels_note` says why a level is not offered)."""
    codes, level, note = public_selection(codes, level, options)
    if levels_note or note:  # the note on the level asked for: why the control offers no other
        st.info(levels_note or note)
    return releases(gemeente_code, options), codes, level


def public_selection(
    codes: tuple[str, ...], level: str, options: pd.DataFrame
) -> tuple[tuple[str, ...], str, str | None]:
    """`disclosure.public_selection` with the page's options: (categories, level, note)."""
    categories = _categories(options)
    return disclosure.public_selection(codes, level, categories, selection.disclosure_rules())


def shown_levels(
    codes: tuple[str, ...], levels: tuple[str, ...], options: pd.DataFrame
) -> tuple[tuple[str, ...], str | None]:
    """Which of `levels` this view shows `codes` at, and a note on the ones it does not: a public
    view only those its release has (none: the level it moves them to instead), so a control
    offers only what the map can draw."""
    if not selection.public():
        return levels, None
    chosen = {level: public_selection(codes, level, options) for level in levels}  # (codes, level shown, note)
    kept = tuple(level for level, (_, shown, _) in chosen.items() if shown == level)
    refused = [selected for level, selected in chosen.items() if level not in kept]
    return kept or (refused[0][1],), refused[0][2] if refused else None


def public_years(
    releases_: dict[int, disclosure.Release], level: str, area_code: str, codes: tuple[str, ...]
) -> tuple[pd.DataFrame, list[str]]:
    """An area's public figure per calendar year as a table (Jaar, Aantal with '< 5' or 'x'), with notes."""
    rules = selection.disclosure_rules()
    found = disclosure.public_years(releases_, level, [area_code], codes, rules)
    frame = pd.DataFrame({"Jaar": found["year"].astype(str), "Aantal": found["incident_count"]})
    reasons = pd.DataFrame({"Aantal": found["reason"].to_numpy()}, index=frame.index)
    protected = disclosure.labelled_table(frame, reasons, rules, counts=["Aantal"])
    return protected.frame, protected.notes


def public_year(year: int, years: pd.DataFrame) -> int:
    """The calendar year a public page shows for the chosen `year` (`periods.public_year`), with a
    Dutch note when that is another year; ends the page when there is no complete year."""
    shown = periods.public_year(year, [int(y) for y in years.loc[years["months"] == 12, "year"]])
    if shown is None:
        st.info(periods.public_note(None, None))
        frame.stop_page()
    if shown != year:
        st.info(
            f"Openbare weergave: cijfers alleen over hele kalenderjaren, daarom {shown} in plaats van {year} "
            "(nog niet compleet), zodat geen klein aantal uit het verschil van twee periodes volgt."
        )
    return shown


def _categories(options: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Each option's category codes. Not through `itertuples`, which makes a namedtuple class in
    every call (3-4 ms, three times in a public rerun)."""
    return {
        str(option): tuple(codes)
        for option, codes in zip(options["option_code"], options["category_codes"], strict=True)
    }


def profile_views(
    gemeente_code: str, target: str, level: str, shown: list[str], options: pd.DataFrame
) -> dict[str, tuple[tuple[str, ...], str, str | None]]:
    """Per option of a public Wijkprofiel: its public categories, level and note, at the level of
    the areas whose figures make up the target's (`target_members`)."""
    members_level, _ = target_members(gemeente_code, target, level)
    return {option: public_selection(_categories(options)[option], members_level, options) for option in shown}


def released_profile(
    gemeente_code: str,
    target: str,
    level: str,
    year: int,
    population: pd.DataFrame,
    shown: list[str],
    options: pd.DataFrame,
    significance_level: float,
    minimum: int,
) -> tuple[pd.DataFrame, list[str]]:
    """A public Wijkprofiel's key figures from the releases (`trends.released_profile`), labelled,
    with notes. Per buurt only the two public totals: other subjects are 'x' with a note."""
    rules, found, codes = selection.disclosure_rules(), releases(gemeente_code, options), _categories(options)
    members_level, parts = target_members(gemeente_code, target, level)

    def figure(who: str, option: str, shown_year: int) -> tuple[float, str]:
        if shown_year not in found:
            return float("nan"), disclosure.SHOWN
        if who == "city":
            kept = disclosure.public_codes(codes[option], members_level, rules)
            return disclosure.public_figure(found[shown_year], "gemeente", (gemeente_code,), kept, rules)
        return disclosure.area_figure(found[shown_year], members_level, parts, codes[option], codes, rules)

    names = dict(zip(options["option_code"], options["option_name"], strict=True))
    left_out = (
        f" (zonder {formatting.dutch_list(rules.sensitive_names)})"  # said in the row: the city's card counts them
    )
    for option in shown:
        if disclosure.public_codes(codes[option], members_level, rules) != tuple(codes[option]):
            names[option] += left_out
    frame, reasons = trends.released_profile(
        figure, population, target, gemeente_code, year, names, shown, significance_level, minimum=minimum
    )
    counts = [f"Aantal {year}", f"Aantal {year - 1}"]
    protected = disclosure.labelled_table(frame, reasons, rules, counts=counts, derived=trends.profile_derived(year))
    views = profile_views(gemeente_code, target, level, shown, options)
    notes = [note for _, shown_level, note in views.values() if note and shown_level == members_level]
    if (reasons == disclosure.NOT_PUBLIC).any().any():
        notes.append(disclosure.buurt_profile_note(rules))
    return protected.frame, [*dict.fromkeys(notes), *protected.notes]


def released_rank(
    gemeente_code: str, level: str, target: str, year: int, options: pd.DataFrame, thresholds: mapping.Thresholds
) -> str:
    """A public Wijkprofiel's rank on all crime per 1,000 inhabitants among the areas of its level
    whose figure the release of `year` shows (a hidden figure has no rank, and is no one's)."""
    rules, release = selection.disclosure_rules(), releases(gemeente_code, options)[year]
    codes, _, _ = public_selection(_categories(options)["misdrijven"], level, options)
    counts = connection.query(
        queries.area_counts,
        gemeente_code=gemeente_code,
        area_level=level,
        category_codes=codes,
        period=periods.calendar_year(year),
        comparison=None,
    )
    shown = [
        disclosure.public_figure(release, level, (code,), codes, rules)[1] == disclosure.SHOWN
        for code in counts["area_code"]
    ]
    counts = counts[shown]
    if target not in set(counts["area_code"]):
        return f"geen (het aantal is afgeschermd: {disclosure.HIDDEN_MARK} of < {rules.threshold})"
    text = mapping.rank_text(mapping.area_measures(counts, "per_1000", thresholds), target, "per_1000")
    return text + ("" if all(shown) else f", onder de {level}en met een openbaar aantal")


def export_menu(
    about: Metadata,
    key: str,
    chart: Callable[[], alt.TopLevelMixin] | None = None,
    data: pd.DataFrame | None = None,
) -> None:
    """Downloads made only when clicked (a picture takes a few tenths of a second); `chart` builds
    the chart then."""
    # Without an extension file_name gives the stem; each button adds its own.
    base = exports.file_name(about.title, about.filters.get("Gemeente", ""), ext="")
    with st.popover("Exporteren", icon=":material/download:", key=f"{key}_export"):
        st.caption(about.disclosure)
        if chart is not None:
            st.download_button(
                "Afbeelding (PNG)",
                lambda: exports.chart_png(chart(), meta=about),
                file_name=f"{base}.png",
                mime="image/png",
                key=f"{key}_png",
                icon=":material/image:",
                on_click="ignore",  # no rerun: the page and the open menu stay as they are
            )
            st.download_button(
                "Afbeelding (SVG)",
                lambda: exports.chart_svg(chart(), meta=about),
                file_name=f"{base}.svg",
                mime="image/svg+xml",
                key=f"{key}_svg",
                icon=":material/image:",
                on_click="ignore",  # no rerun: the page and the open menu stay as they are
            )
        if data is not None:
            st.download_button(
                "Gegevens (CSV)",
                lambda: exports.table_csv(data, about),
                file_name=f"{base}.csv",
                mime="text/csv",
                key=f"{key}_csv",
                icon=":material/table:",
                on_click="ignore",  # no rerun: the page and the open menu stay as they are
            )
            st.download_button(
                "Gegevens (Excel)",
                lambda: exports.table_xlsx(data, about),
                file_name=f"{base}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"{key}_xlsx",
                icon=":material/table:",
                on_click="ignore",  # no rerun: the page and the open menu stay as they are
            )


def plan_figure(gemeente_code: str) -> Callable[[Any, int], tuple[float, str] | None]:
    """For the public Prioriteiten page (`progress.released_actuals`): an incident indicator's public
    count in a year and its label ('' shown, '< 5' or 'x'), from the release of that calendar year;
    None for a year without a release. The gemeente's figure or an area's (`target_members`); a
    theme's categories as its option has them, 'Totaal misdrijven' (0.0.0) as 'Alle misdrijven'."""
    options = connection.query(queries.category_options, gemeente_code=gemeente_code)
    rules, found, codes = selection.disclosure_rules(), releases(gemeente_code, options), _categories(options)
    areas = connection.query(queries.area_options, gemeente_code=gemeente_code)
    levels = dict(zip(areas["target_code"], areas["target_level"], strict=True))
    members = cache(target_members)  # asked per indicator and year: a cache look-up each was 2 ms

    def figure(indicator: Any, year: int) -> tuple[float, str] | None:
        if year not in found:
            return None
        target = indicator.target_code if isinstance(indicator.target_code, str) else gemeente_code
        if isinstance(indicator.theme_code, str):
            chosen = codes.get(indicator.theme_code, ())
        else:
            chosen = tuple(
                c for code in indicator.category_codes for c in (codes["misdrijven"] if code == "0.0.0" else (code,))
            )
        if target not in levels or not set(chosen) & set(found[year].kinds):  # nothing the release holds
            return 0.0, disclosure.HIDDEN_MARK
        level, codes_of_target = members(gemeente_code, target, levels[target])
        count, reason = disclosure.public_figure(found[year], level, codes_of_target, chosen, rules)
        if reason == disclosure.SHOWN:
            return count, ""
        return count, rules.small_label if reason == disclosure.SMALL else disclosure.HIDDEN_MARK

    return figure


def plan(fetch: Fetch, gemeente_code: str, plan_id: str, rules: disclosure.Rules | None) -> prioriteiten.Plan:
    """The Prioriteiten page's plan (`prioriteiten.plan`): with `rules` (a public view) its incident
    figures from the public release made under those rules (`plan_figure`), else exact. Meant for
    `connection.modelled`, which keys it on these arguments."""
    chosen = fetch(queries.plans, gemeente_code=gemeente_code).set_index("plan_id").loc[plan_id]
    return prioriteiten.plan(fetch, gemeente_code, chosen, None if rules is None else plan_figure(gemeente_code))


# --- page models cached by `connection.modelled`: each takes plain values only, among them the
# public view's rules (None: the internal view) and `config`, the version of the settings and
# periods the models read (`config_version`), so that neither view ever gets the other's figures.


def config_version() -> tuple[int, ...]:
    """The version of data/settings.yaml and data/periods.yaml: part of a cached page model's key."""
    stats = [SETTINGS_FILE.stat(), (DATA_DIR / "periods.yaml").stat()]
    return tuple(n for stat in stats for n in (stat.st_mtime_ns, stat.st_size))


def overview(
    fetch: Fetch, gemeente_code: str, gemeente_name: str, year: int, rules: disclosure.Rules | None, config: tuple
) -> overzicht.Page:
    """The Overzicht's sections (`overzicht.page`); with `rules` from the public release."""
    options = fetch(queries.category_options, gemeente_code=gemeente_code)
    public = None if rules is None else overzicht.Public(releases(gemeente_code, options), rules)
    return overzicht.page(fetch, gemeente_code, gemeente_name, year, load_settings(), public)


def _trends_public(gemeente_code: str, rules: disclosure.Rules | None) -> trends_model.Public | None:
    if rules is None:
        return None
    options = connection.query(queries.category_options, gemeente_code=gemeente_code)
    return trends_model.Public(
        rules,
        partial(released_trends, gemeente_code=gemeente_code, options=options),
        partial(released_compstat, gemeente_code=gemeente_code, options=options),
    )


def trend_chart(
    fetch: Fetch, gemeente_code: str, choice: trends_model.Choice, rules: disclosure.Rules | None, config: tuple
) -> trends_model.TrendChart:
    """The Trends page's chart (`trends.trend_chart`); with `rules` from the public release."""
    menu = trends_model.menu(fetch, gemeente_code)
    return trends_model.trend_chart(fetch, menu, choice, _trends_public(gemeente_code, rules))


def compstat_tables(
    fetch: Fetch, gemeente_code: str, targets: tuple[str, ...], year: int, rules: disclosure.Rules | None, config: tuple
) -> list[trends_model.CompStat]:
    """The Trends page's CompStat tables (`trends.compstat_tables`); with `rules` from the public release."""
    menu = trends_model.menu(fetch, gemeente_code)
    return trends_model.compstat_tables(fetch, menu, list(targets), year, _trends_public(gemeente_code, rules))


def _profile_public(gemeente_code: str, rules: disclosure.Rules | None) -> wijkprofiel.Public | None:
    if rules is None:
        return None
    options = connection.query(queries.category_options, gemeente_code=gemeente_code)
    return wijkprofiel.Public(
        partial(profile_views, gemeente_code=gemeente_code, options=options),
        partial(released_profile, gemeente_code=gemeente_code, options=options),
        partial(released_trends, gemeente_code=gemeente_code, options=options),
        partial(released_rank, gemeente_code=gemeente_code, options=options),
    )


def profile_figures(
    fetch: Fetch,
    gemeente_code: str,
    gemeente_name: str,
    target: str,
    year: int,
    rules: disclosure.Rules | None,
    config: tuple,
    option: str | None = None,
    period: periods.Period | None = None,
) -> wijkprofiel.KeyFigures:
    """The Wijkprofiel's key figures (`wijkprofiel.key_figures`), with a link's category option
    and period; with `rules` from the public release."""
    menu = wijkprofiel.menu(fetch, gemeente_code, gemeente_name)
    public = _profile_public(gemeente_code, rules)
    return wijkprofiel.key_figures(fetch, menu, target, year, public, option, period)


def profile_development(
    fetch: Fetch,
    gemeente_code: str,
    gemeente_name: str,
    target: str,
    rules: disclosure.Rules | None,
    config: tuple,
    option: str | None = None,
) -> trends_model.TrendChart:
    """The Wijkprofiel's development chart (`wijkprofiel.development`) of a link's category option
    (else the first); with `rules` from the public release."""
    menu = wijkprofiel.menu(fetch, gemeente_code, gemeente_name)
    return wijkprofiel.development(fetch, menu, target, _profile_public(gemeente_code, rules), option)
