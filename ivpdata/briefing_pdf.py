"""The Driehoeksrapportage as an A4 PDF (fpdf2): a `Briefing` in, PDF bytes out.

Five sections: key figures and a summary, what stands out, the hotspot map (a page each), the
plan's priorities and the measures (the measures under the priorities when they fit, so that no
page holds only a few lines). Every page has a header (gemeente, period, confidentiality) and a
footer (source line, page x of y). Fonts are embedded from static/fonts (DejaVu Sans): a fresh
machine may have none, and the core PDF fonts lack characters such as ▲, → and the en dash.
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from functools import partial
from typing import cast

import altair as alt
import pandas as pd
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos

from ivpdata import exports, formatting, progress, provenance, significance
from ivpdata.briefing_model import DEMO_WARNING, Briefing, KeyFigure, PriorityStatus
from ivpdata.config import PROJECT_ROOT

FONT_DIR = PROJECT_ROOT / "static" / "fonts"
FONT = "DejaVu"
TITLE = "Driehoeksrapportage"
CONFIDENTIAL = "Vertrouwelijk – alleen voor de driehoek"
PUBLIC = "Openbare versie"
SECTIONS = ("Kerncijfers", "Wat valt op", "Hotspots", "Stand van de prioriteiten", "Maatregelen")
PUBLIC_MAP = "Kaart"  # the public version's map section: the release's buurt totals, no hotspots
NO_HOTSPOTS = (
    "Geen hotspotkaart in de openbare versie: per buurt staan alleen de openbare totalen van het kalenderjaar "
    "op de kaart; afgeschermde buurten zijn grijs."
)

MARGIN = 16.0  # mm
TOP = 22.0
BOTTOM = 17.0
BLUE = (31, 78, 121)
GREY = (90, 90, 90)
LIGHT_GREY = (235, 235, 235)
RED = (165, 0, 38)
RISE_TEXT = (160, 0, 0)  # more incidents: red, as on the Overzicht (delta_color inverse)
FALL_TEXT = (8, 48, 107)
RISE_FILL = (244, 204, 204)  # as trends.verdict_styles
FALL_FILL = (207, 226, 243)
DEMO_FILL = (255, 243, 224)
DEMO_LINE = (230, 81, 0)
MAX_MEASURE_ROWS = 36  # rows of measure results on the last page, shared by the priorities


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class BriefingPDF(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM + 3)
        self.alias_nb_pages()
        self.set_title(f"{TITLE} {briefing.gemeente_name}, {briefing.period_text}")
        self.set_author("Veiligheidsbeeld")
        self.set_subject(CONFIDENTIAL if not briefing.public else PUBLIC)
        self.set_lang("nl-NL")
        self.set_creation_date(pd.Timestamp(briefing.made_on).to_pydatetime().astimezone())

    # -- page furniture --------------------------------------------------------------------------

    def header(self) -> None:
        b = self.briefing
        self.set_y(9)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{TITLE} {b.gemeente_name} · {b.period_text}", align=Align.L)
        self.set_x(MARGIN)
        self.set_font(FONT, "B", 8)
        self.set_text_color(*(BLUE if b.public else RED))
        self.cell(0, 5, PUBLIC if b.public else CONFIDENTIAL, align=Align.R)
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN, 15, self.w - MARGIN, 15)
        self.set_y(TOP)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        b = self.briefing
        y = self.h - BOTTOM + 3
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN, y, self.w - MARGIN, y)
        self.set_xy(MARGIN, y + 1.5)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        width = self.w - 2 * MARGIN - 28
        self.multi_cell(width, 3.4, b.source_line, align=Align.L, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_xy(self.w - MARGIN - 28, y + 1.5)
        self.cell(28, 3.4, f"pagina {self.page_no()} van {{nb}}", align=Align.R)
        self.set_text_color(0, 0, 0)

    # -- building blocks -------------------------------------------------------------------------

    @property
    def width(self) -> float:
        return self.w - 2 * MARGIN

    def heading(self, text: str, size: float = 15) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*BLUE)
        self.multi_cell(0, size * 0.5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_text_color(0, 0, 0)

    def subheading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 11)
        self.set_text_color(*BLUE)
        self.multi_cell(0, 5.5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(0.5)

    def paragraph(self, text: str, size: float = 9.5, bold: bool = False, colour: Sequence[int] = (0, 0, 0)) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.48, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def note(self, text: str) -> None:
        self.paragraph(text, size=7.5, colour=GREY)

    def bullet(self, text: str, size: float = 9.5, colour: Sequence[int] = (0, 0, 0)) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*colour)
        self.cell(5, size * 0.48, "•")
        self.multi_cell(0, size * 0.48, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(0.6)

    def banner(self, title: str, text: str, fill: Sequence[int], line: Sequence[int]) -> None:
        self.set_fill_color(*fill)
        self.set_draw_color(*line)
        self.set_line_width(0.5)
        y = self.get_y()
        self.set_font(FONT, "", 8.5)
        height = 6 + 4.2 * len(self.wrapped_lines(self.width - 6, 4.2, text)) + 2
        self.rect(MARGIN, y, self.width, height, style="DF")
        self.set_xy(MARGIN + 3, y + 1.5)
        self.set_font(FONT, "B", 9.5)
        self.set_text_color(*line)
        self.cell(0, 4.5, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_x(MARGIN + 3)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(0, 0, 0)
        self.multi_cell(self.width - 6, 4.2, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(y + height + 3)

    def data_table(
        self,
        frame: pd.DataFrame,
        widths: Sequence[float],
        align: Sequence[str],
        size: float = 8,
        fills: Sequence[tuple[int, int, int] | None] | None = None,
        cell_styles: dict[tuple[int, int], FontFace] | None = None,
        padding: float = 0.7,
    ) -> None:
        """A table over the text width (`widths` relative) with a shaded header; `fills` colours
        whole rows, `cell_styles` single cells ((row, column) -> style)."""
        self.set_font(FONT, "", size)
        self.set_text_color(0, 0, 0)
        self.set_fill_color(255, 255, 255)  # the table starts from the current style, fill included
        self.set_draw_color(170, 170, 170)
        self.set_line_width(0.15)
        heading = FontFace(emphasis="BOLD", fill_color=LIGHT_GREY, color=(0, 0, 0))
        with super().table(
            col_widths=list(widths),  # relative: the table spans the text width
            width=self.width,
            align=Align.L,
            text_align=list(align),
            line_height=size * 0.5,
            headings_style=heading,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            padding=(padding, 1.2),
            v_align="MIDDLE",
        ) as table:
            header = table.row()
            for column in frame.columns:
                header.cell(str(column))
            for i, values in enumerate(frame.itertuples(index=False)):
                row = table.row()
                fill = fills[i] if fills is not None else None
                for j, value in enumerate(values):
                    style = (cell_styles or {}).get((i, j))
                    if style is None and fill is not None:
                        style = FontFace(fill_color=fill)
                    row.cell("" if value is None or value is pd.NA else str(value), style=style)
        self.ln(1.5)

    def space_left(self) -> float:
        return self.h - BOTTOM - 3 - self.get_y()

    def note_height(self, notes: Sequence[str]) -> float:
        self.set_font(FONT, "", 7.5)
        return sum(len(self.wrapped_lines(0, 3.6, n)) * 3.6 for n in notes)

    def wrapped_lines(self, width: float, height: float, text: str) -> list[str]:
        """The lines `text` wraps into in a cell of `width` (0: to the right margin), in the current font."""
        # fpdf2 annotates multi_cell's result as the union of what every `output` gives: LINES gives the lines.
        return cast(list[str], self.multi_cell(width, height, text, dry_run=True, output="LINES"))


TABLE_SIZES = ((8.0, 0.7), (8.0, 0.5), (7.5, 0.4), (7.0, 0.3), (6.5, 0.25))  # font size, padding


def fitting(rows: int, space: float) -> tuple[float, float]:
    """The largest font size and padding at which a table of `rows` (and its header, and a row or
    two that wrap) fits in `space` mm; the smallest when none does."""
    for size, padding in TABLE_SIZES:
        if (rows + 3) * (size * 0.5 + 2 * padding) <= space:
            return size, padding
    return TABLE_SIZES[-1]


# -- pages -----------------------------------------------------------------------------------------


def _change_colour(figure: KeyFigure) -> tuple[int, int, int]:
    if (
        figure.comparison_note
        or figure.count is None
        or figure.previous_count is None
        or figure.count == figure.previous_count
    ):
        return GREY
    return RISE_TEXT if figure.count > figure.previous_count else FALL_TEXT


def _verdict_text(verdict: str) -> str:
    return {
        significance.RISE: "significante stijging",
        significance.FALL: "significante daling",
        significance.NEUTRAL: "niet significant",
    }.get(verdict, "")


def _fitted_cell(pdf: BriefingPDF, width: float, height: float, text: str, size: float, style: str = "") -> None:
    """One line of text, in a smaller font where it would not fit the width."""
    pdf.set_font(FONT, style, size)
    if pdf.get_string_width(text) > width:
        pdf.set_font(FONT, style, max(5.5, size * width / pdf.get_string_width(text)))
    pdf.cell(width, height, text)


def _cards(pdf: BriefingPDF, figures: list[KeyFigure], b: Briefing) -> None:
    gap = 4.0
    width = (pdf.width - gap * (len(figures) - 1)) / max(len(figures), 1)
    top = pdf.get_y()
    height = 47.0
    for i, figure in enumerate(figures):
        x = MARGIN + i * (width + gap)
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.3)
        pdf.rect(x, top, width, height)
        pdf.set_xy(x + 3, top + 2.5)
        _fitted_cell(pdf, width - 6, 5, figure.label, 9.5, "B")
        pdf.set_xy(x + 3, top + 8.5)
        pdf.set_text_color(*BLUE)
        _fitted_cell(pdf, width - 6, 10, figure.value, 22, "B")
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(x + 3, top + 20)
        pdf.set_text_color(*_change_colour(figure))
        change = f"{figure.difference} ({figure.change})" if b.comparison_text else "geen vergelijking"
        change = significance.NOT_COMPARABLE if figure.comparison_note else change
        _fitted_cell(pdf, width - 6, 5, change, 10, "B")
        pdf.set_text_color(0, 0, 0)
        lines = [
            f"Een jaar eerder: {figure.previous}",
            f"Per 1.000 inwoners: {figure.per_1000} (was {figure.previous_per_1000})",
            "Herkomst of dekking verschilt" if figure.comparison_note else _verdict_text(figure.verdict).capitalize(),
        ]
        for n, line in enumerate(lines):
            pdf.set_xy(x + 3, top + 26.5 + 4.3 * n)
            _fitted_cell(pdf, width - 6, 4, line, 8)
        mixed = figure.provenance == provenance.MIXED
        flags = (
            ("gemengd: echt en demo", mixed),
            ("demodata", figure.is_demo and not mixed),
            ("voorlopig", figure.is_provisional),
        )
        if tags := [tag for tag, on in flags if on]:
            pdf.set_xy(x + 3, top + 40)
            pdf.set_text_color(*DEMO_LINE)
            _fitted_cell(pdf, width - 6, 4, " · ".join(tags), 7.5, "B")  # smaller where it would not fit
            pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, top + height + 2)


NAMED_CATEGORIES = 3  # categories not compared are named up to this many


def _not_compared_lines(b: Briefing) -> list[str]:
    """Why key figures or categories of the gemeente are not compared with a year earlier (periods
    of different provenance or coverage: partly real figures, partly demo data)."""
    lines = []
    notes = dict.fromkeys(f.comparison_note for f in b.key_figures if f.comparison_note)
    for note in notes:
        labels = [f.label for f in b.key_figures if f.comparison_note == note]
        lines.append(f"{', '.join(labels)}: {note}.")
    city = b.city_changes
    if not city.empty and "reason" in city:
        skipped = city[city["verdict"] == significance.NOT_COMPARABLE]
        for reason, group in skipped.groupby("reason", sort=False):
            names = list(group["Categorie"])
            which = (
                f"alle {len(names)} categorieën"
                if len(names) == len(city)
                else ", ".join(names)
                if len(names) <= NAMED_CATEGORIES
                else f"{', '.join(names[:NAMED_CATEGORIES])} en {len(names) - NAMED_CATEGORIES} andere"
            )
            lines.append(
                f"Niet vergeleken in de hele gemeente ({which}): "
                f"{str(reason).removeprefix(significance.NOT_COMPARABLE + ': ')}."
            )
    return lines


def _summary(b: Briefing) -> list[str]:
    """'In het kort': one line per section."""
    lines, where = [], "per wijk of buurt" if b.public else "per buurt en categorie"
    if b.notable:
        lines.append(
            f"Wat valt op: {_count(len(b.notable), 'verandering', 'veranderingen')} {where} buiten "
            "het toeval; de grootste: "
            f"{b.notable[0].text.removeprefix('▲ ').removeprefix('▼ ')}."
        )
    elif b.comparison:
        lines.append(f"Wat valt op: geen verandering {where} die buiten het toeval valt.")
    city = b.city_changes
    lines.extend(_not_compared_lines(b))
    for verdict, word in ((significance.RISE, "gestegen"), (significance.FALL, "gedaald")):
        names = list(city.loc[city["verdict"] == verdict, "Categorie"]) if not city.empty else []
        if names:
            lines.append(f"Significant {word} in de hele gemeente: {', '.join(names)}.")
    top = b.hotspots.top
    if not top.empty:
        column = "Per 1.000 inwoners" if b.hotspots.measure == "per_1000" else "Aantal"
        best = ", ".join(f"{row.iloc[1]} ({row[column]})" for _, row in top.head(3).iterrows())
        what = b.hotspots.title.split(f" per {b.hotspots.level}")[0].lower()
        lines.append(f"Hoogste per {b.hotspots.level} ({what}): {best}.")
    if b.priorities:
        totals: dict[str, int] = {}
        for priority in b.priorities:
            for status, n in priority.statuses.items():
                totals[status] = totals.get(status, 0) + n
        counts = ", ".join(f"{totals[s]} {s}" for s in progress.STATUS_ORDER if totals.get(s))
        lines.append(f"Prioriteiten ({b.plan_title}): {counts or 'geen indicatoren met een stand'}.")
    elif b.plan_note:
        lines.append(b.plan_note)
    results = sum(len(group.results) for group in b.measure_groups)
    done = _count(results, "resultaat", "resultaten") if results else "geen resultaten"
    areas = _count(len(b.area_measures), "maatregel", "maatregelen")
    started = f"; {areas} in een gebied gestart" if b.area_measures else ""
    lines.append(f"Maatregelen: {done} vastgelegd in de periode{started}.")
    return lines


def _count(n: int, one: str, more: str) -> str:
    return f"{formatting.number(n)} {one if n == 1 else more}"


def _first_page(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 22)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 10, f"{TITLE} {b.gemeente_name}", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)
    pdf.paragraph(f"Periode: {b.period_text}", size=12, bold=True)
    earlier = "het jaar ervoor" if b.public else "dezelfde maanden een jaar eerder"
    comparison = f"Vergeleken met: {b.comparison_text} ({earlier})"
    pdf.paragraph(comparison if b.comparison_text else "Vergeleken met: geen gegevens van een jaar eerder", size=10)
    pdf.note(f"Gemaakt op {formatting.date(b.made_on)} met Veiligheidsbeeld.")
    if b.public_note:
        pdf.ln(1)
        pdf.paragraph(b.public_note, size=9, colour=BLUE)
    pdf.ln(3)
    if b.is_demo:
        pdf.banner("Demodata", f"{_demo_text(b)}", DEMO_FILL, DEMO_LINE)
    if b.provisional_text:
        pdf.paragraph(
            f"Voorlopige cijfers: {b.provisional_text}. De politie kan deze maanden nog herzien.", size=8.5, colour=GREY
        )
        pdf.ln(1)
    pdf.heading(SECTIONS[0], size=14)
    if not b.key_figures or all(f.count is None for f in b.key_figures):
        pdf.paragraph(f"Geen gegevens over {b.period_text} voor {b.gemeente_name}.")
    else:
        _cards(pdf, b.key_figures, b)
        pdf.note(
            "Kleur van de verandering: rood is meer, blauw is minder dan een jaar eerder. Significant: buiten het "
            "toeval volgens de exacte Poisson-toets (niveau "
            f"{formatting.number(float(b.settings['significance_level']) * 100)}%)."
        )
        sources = dict.fromkeys(f.source_line for f in b.key_figures)
        pdf.note(" · ".join(sources))
        for figure in b.key_figures:
            pdf.note(f"{figure.label}: {figure.help}")
        for note in b.key_notes:
            pdf.note(note)
    pdf.subheading("In het kort")
    for line in _summary(b):
        pdf.bullet(line)


def _demo_text(b: Briefing) -> str:
    mixed = any(f.provenance == provenance.MIXED for f in b.key_figures)
    text = f"{DEMO_WARNING} Demodata in: {', '.join(b.demo_parts)}."
    if mixed:
        text += (
            " Gemengd: echte cijfers voor een deel van de buurten of maanden, demodata voor de rest; periodes met een "
            "andere herkomst of dekking worden niet vergeleken."
        )
    return text


def _notable_page(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.add_page()
    pdf.heading(SECTIONS[1])
    pdf.note(b.notable_caption)
    pdf.ln(2)
    if b.notable:
        for change in b.notable:
            pdf.set_font(FONT, "B", 10)
            pdf.set_text_color(*(RISE_TEXT if change.rising else FALL_TEXT))
            pdf.multi_cell(0, 5.2, change.text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
        pdf.set_text_color(0, 0, 0)
    elif b.comparison:
        where = "wijk of buurt" if b.public else "buurt"
        pdf.paragraph(f"Geen verandering per {where} en categorie die buiten het toeval valt.")
    for note in b.notable_notes:
        pdf.note(note)
    pdf.subheading("Per categorie in de hele gemeente")
    city = b.city_changes
    if city.empty:
        pdf.paragraph("Geen gegevens om te vergelijken." if b.comparison else b.notable_caption)
        return
    level = formatting.number(float(b.settings["significance_level"]) * 100)
    pdf.note(
        f"{b.period_text} tegen {b.comparison_text}. ▲ en ▼: stijging of daling buiten het toeval (exacte "
        f"Poisson-toets, niveau {level}%, gecorrigeerd voor het aantal toetsen met Benjamini-Hochberg), zoals de "
        "CompStat op de pagina Trends; andere veranderingen zijn niet "
        "significant."
    )
    pdf.ln(1)
    shown = city[["Categorie", "Eerder", "Nu", "Verschil", "Verandering", "Oordeel"]].rename(
        columns={"Eerder": b.comparison_short, "Nu": b.period_short}
    )
    fills = [
        RISE_FILL if v == significance.RISE else FALL_FILL if v == significance.FALL else None for v in city["verdict"]
    ]
    size, padding = fitting(len(shown), pdf.space_left() - pdf.note_height(b.city_notes) - 3)
    oordeel = list(shown.columns).index("Oordeel")
    quiet = {(i, oordeel): FontFace(color=GREY) for i, v in enumerate(city["verdict"]) if v == significance.NEUTRAL}
    widths, align = [72, 17, 17, 17, 23, 28], ["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"]
    pdf.data_table(shown, widths, align, size, fills, quiet, padding)
    for note in b.city_notes:
        pdf.note(note)


# The map's PNG per chart object, while the chart lives: a render that lays the pages out twice
# (render_pdf) or a second PDF of the same gathered briefing draws the map once.
_MAP_PNGS: dict[int, bytes] = {}


def _map_png(chart: alt.TopLevelMixin) -> bytes:
    key = id(chart)
    png = _MAP_PNGS.get(key)
    if png is None:
        png = _MAP_PNGS[key] = exports.chart_png(chart, scale=2)
        weakref.finalize(chart, _MAP_PNGS.pop, key, None)
    return png


def _map_page(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.add_page()
    hotspots = b.hotspots
    pdf.heading(f"{PUBLIC_MAP if b.public else SECTIONS[2]} per {hotspots.level}")
    pdf.paragraph(hotspots.title, size=9, colour=GREY)
    if b.public:
        pdf.note(NO_HOTSPOTS)
    pdf.ln(1)
    if hotspots.chart is None:
        pdf.paragraph(hotspots.missing or "Geen kaart.")
    else:
        png = _map_png(hotspots.chart)
        width_px, height_px = _png_size(png)
        below = 12 + 6.5 * (len(hotspots.top) + 2) + pdf.note_height([*hotspots.notes, *hotspots.table_notes]) + 4
        max_width, max_height = pdf.width, min(165.0, pdf.space_left() - below)
        width = min(max_width, max_height * width_px / height_px)
        height = width * height_px / width_px
        x = MARGIN + (pdf.width - width) / 2
        pdf.image(io.BytesIO(png), x=x, y=pdf.get_y(), w=width, h=height, alt_text=f"Kaart: {hotspots.title}")
        pdf.set_y(pdf.get_y() + height + 2)
    for note in hotspots.notes:
        pdf.note(note)
    plural = {"buurt": "buurten", "wijk": "wijken"}.get(hotspots.level, hotspots.level)
    pdf.subheading(f"Top {len(hotspots.top)} {plural}" if not hotspots.top.empty else f"Top {plural}")
    if hotspots.top.empty:
        pdf.paragraph(f"Geen {hotspots.level} met een stabiel cijfer in deze periode.")
    else:
        header = "Verandering" + (f" t.o.v.\n{b.comparison_short}" if b.comparison_short else "")
        pdf.data_table(
            hotspots.top.rename(columns={"Verandering": header}),
            [10, 70, 20, 32, 50],
            ["RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"],
            8.5,
        )
    for note in hotspots.table_notes:
        pdf.note(note)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _status_cells(table: pd.DataFrame) -> dict[tuple[int, int], FontFace]:
    column = list(table.columns).index("Status")
    return {
        (i, column): FontFace(
            emphasis="BOLD", color=(255, 255, 255), fill_color=_rgb(progress.STATUS_COLOURS.get(status, "#9e9e9e"))
        )
        for i, status in enumerate(table["Status"])
    }


def _priorities_intro(pdf: BriefingPDF, b: Briefing) -> None:
    pdf.heading(SECTIONS[3])
    if not b.plan_title:
        pdf.paragraph(b.plan_note or "Geen veiligheidsplan opgenomen.")
        return
    pdf.paragraph(b.plan_title, size=10, bold=True)
    pdf.note(
        "Stand zoals op de pagina Prioriteiten: elke indicator op zijn laatste jaar met cijfers binnen de looptijd "
        "van het plan."
    )
    if b.plan_note:
        pdf.note(b.plan_note)


def _priority_block(pdf: BriefingPDF, priority: PriorityStatus) -> None:
    pdf.subheading(priority.name)
    if priority.statuses:
        _status_badges(pdf, priority.statuses)
    if priority.themes:
        pdf.note("Thema's: " + "; ".join(priority.themes))
    if priority.indicators.empty:
        pdf.note("Geen indicatoren vastgelegd voor deze prioriteit.")
        return
    for goal in priority.goals:
        pdf.paragraph(f"Doel: {goal}", size=8.5)
    pdf.ln(0.5)
    pdf.data_table(
        priority.indicators,
        [58, 22, 25, 17, 13, 22, 21],
        ["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "CENTER"],
        7.5,
        cell_styles=_status_cells(priority.indicators),
    )


def _method(pdf: BriefingPDF) -> None:
    pdf.ln(1)
    pdf.note(progress.METHOD)


def _with_method(block: Callable[[BriefingPDF], None]) -> Callable[[BriefingPDF], None]:
    """`block` with the method under it."""

    def draw(pdf: BriefingPDF) -> None:
        block(pdf)
        _method(pdf)

    return draw


def _priorities(pdf: BriefingPDF, b: Briefing, carry: bool = False) -> None:
    """The plan's priorities; each priority's block (the last one with the method under it) stays
    on one page. `carry`: the last block starts a new page (so that what follows is not alone there)."""
    _priorities_intro(pdf, b)
    if not b.plan_title:
        return
    blocks: list[Callable[[BriefingPDF], None]] = [partial(_priority_block, priority=p) for p in b.priorities]
    blocks = [*blocks[:-1], _with_method(blocks[-1])] if blocks else [_method]
    for i, block in enumerate(blocks):
        if carry and i == len(blocks) - 1 and i > 0:
            pdf.add_page()
        else:
            _keep_together(pdf, b, block)
        block(pdf)


def _status_badges(pdf: BriefingPDF, statuses: dict[str, int]) -> None:
    pdf.set_font(FONT, "B", 8)
    x, y = MARGIN, pdf.get_y()
    for status, n in statuses.items():
        text = f"{n} {status}"
        width = pdf.get_string_width(text) + 4
        pdf.set_fill_color(*_rgb(progress.STATUS_COLOURS.get(status, "#9e9e9e")))
        pdf.set_text_color(255, 255, 255)
        pdf.set_xy(x, y)
        pdf.cell(width, 4.8, text, align=Align.C, fill=True)
        x += width + 2
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, y + 6)


def _measures(pdf: BriefingPDF, b: Briefing, rows: int = MAX_MEASURE_ROWS, lines: int | None = None) -> None:
    """Measure results in the period per priority (about `rows` table rows in all) and measures in
    an area (the first `lines` of each list; all when None)."""
    pdf.heading(f"{SECTIONS[4]} in {b.period_text}")
    total = sum(len(group.results) for group in b.measure_groups)
    if b.measure_groups:
        pdf.paragraph(
            f"{formatting.number(total)} resultaten van maatregelen vastgelegd in deze periode, bij "
            f"{len(b.measure_groups)} prioriteit(en). Per prioriteit de eerste resultaten; alle staan op de pagina "
            "Maatregelen.",
            size=9,
        )
        rows_each = max(2, min(10, (rows - 2 * len(b.measure_groups)) // len(b.measure_groups)))
        for group in b.measure_groups:
            pdf.subheading(f"{group.priority} ({formatting.number(len(group.results))})")
            shown = group.results[["Resultaat", "Periode", "Waarde"]].head(rows_each)
            pdf.data_table(shown, [112, 38, 32], ["LEFT", "LEFT", "RIGHT"], 7.5)
            if len(group.results) > rows_each:
                pdf.note(f"… en nog {formatting.number(len(group.results) - rows_each)} resultaten.")
    if b.measures_note:
        pdf.paragraph(b.measures_note, size=9)
    for title, found in (
        ("Maatregelen in een gebied, gestart in de periode", b.area_measures),
        ("Eerder gestart in een gebied (de laatste)", b.earlier_area_measures),
    ):
        if not found:
            continue
        pdf.subheading(title)
        for line in found[:lines]:
            _measure_line(pdf, line)
        if lines is not None and len(found) > lines:
            pdf.note(f"… en nog {formatting.number(len(found) - lines)}; alle staan op de pagina Maatregelen.")
    sources = sorted({s for group in b.measure_groups for s in group.results["Bron"].dropna()})
    if sources:
        pdf.ln(1)
        pdf.note("Bronnen: " + "; ".join(sources) + ".")


def _fitting_measures(b: Briefing) -> Callable[[BriefingPDF], None]:
    """The measures section at the most rows and lines that fit one page (a section never spills a
    few lines onto a page of their own)."""
    longest = max(len(b.area_measures), len(b.earlier_area_measures))
    for rows, lines in ((MAX_MEASURE_ROWS, None), *((r, n) for r, n in ((24, 12), (16, 8), (10, 5), (6, 3)))):
        if lines is not None and lines >= longest and rows >= MAX_MEASURE_ROWS:
            continue

        def draw(pdf: BriefingPDF, rows: int = rows, lines: int | None = lines) -> None:
            _measures(pdf, b, rows, lines)

        if _height(b, draw) is not None:
            return draw
    return draw


def _measure_line(pdf: BriefingPDF, line: str) -> None:
    """'Label · area · start: ... · priority': the label bold, the rest as it is."""
    label, _, rest = line.partition(" · ")
    pdf.set_font(FONT, "", 8.5)
    pdf.cell(5, 4.3, "•")
    left = pdf.l_margin
    pdf.set_left_margin(left + 5)  # wrapped lines stay indented under the bullet
    pdf.set_font(FONT, "B", 8.5)
    pdf.write(4.3, label)
    pdf.set_font(FONT, "", 8.5)
    pdf.write(4.3, f" · {rest}" if rest else "")
    pdf.set_left_margin(left)
    pdf.ln(4.3 + 0.8)


SECTION_GAP = 8.0  # mm between two sections on one page
NEARLY_EMPTY = 0.25  # a last page filled less than this (share of its text area) is avoided


def _height(b: Briefing, draw: Callable[[BriefingPDF], None]) -> float | None:
    """How much of a fresh page `draw` fills (mm), or None when it needs more than one page: drawn
    once on a new page of a scratch document with the same fonts and widths (one per rendering:
    reading the fonts took a fifth of the time of a PDF when each measurement made its own)."""
    scratch = _SCRATCH.get()
    if scratch is None or scratch.briefing is not b:
        scratch = BriefingPDF(b)
        _SCRATCH.set(scratch)
    scratch.add_page()
    first, top = scratch.page, scratch.get_y()
    draw(scratch)
    return scratch.get_y() - top if scratch.page == first else None


def _keep_together(pdf: BriefingPDF, b: Briefing, draw: Callable[[BriefingPDF], None]) -> None:
    """Start a new page first when `draw` would not fit the rest of this one but fits a page."""
    height = _height(b, draw)
    if height is not None and height > pdf.space_left():
        pdf.add_page()


def _follow(pdf: BriefingPDF, b: Briefing, draw: Callable[[BriefingPDF], None]) -> None:
    """A section under the previous one when it fits the rest of the page entirely; else on a new page."""
    height = _height(b, draw)
    if height is not None and height + SECTION_GAP <= pdf.space_left():
        pdf.ln(SECTION_GAP)
    else:
        pdf.add_page()
    draw(pdf)


# The scratch document of the rendering in progress (`_height`); one per thread's context.
_SCRATCH: ContextVar[BriefingPDF | None] = ContextVar("briefing_scratch", default=None)


def fill(pdf: BriefingPDF) -> float:
    """How much of the current page's text area is used (0 to 1)."""
    return (pdf.get_y() - TOP) / (pdf.h - BOTTOM - 3 - TOP)


def _render(briefing: Briefing, carry: bool) -> BriefingPDF:
    pdf = BriefingPDF(briefing)
    _first_page(pdf, briefing)
    _notable_page(pdf, briefing)
    _map_page(pdf, briefing)
    pdf.add_page()
    _priorities(pdf, briefing, carry)
    _follow(pdf, briefing, _fitting_measures(briefing))
    return pdf


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF bytes: A4 pages for key figures, what stands out, the map, the priorities
    and the measures. The measures follow the priorities on their page when they fit; a last page
    that would hold only a few lines takes the last priority with it."""
    measuring = _SCRATCH.set(BriefingPDF(briefing))
    try:
        pdf = _render(briefing, carry=False)
        if fill(pdf) < NEARLY_EMPTY:
            carried = _render(briefing, carry=True)
            if carried.page <= pdf.page and fill(carried) > fill(pdf):
                pdf = carried
        return bytes(pdf.output())
    finally:
        _SCRATCH.reset(measuring)
