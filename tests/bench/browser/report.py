"""Printing the browser figures: the app, the bare app's same (or closest) figure, their ratio and the target."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from tests.bench.browser.figures import Figures
from tests.bench.browser.measure import Sample

RATIO_TARGET = 1.3  # each browser figure within 1.3x the bare app's (issue 18)
FIRST_VIEW_TARGET_S = 1.0  # the first view within 1 s of the bare app's
PDF_TARGET_S = 3.0  # the Driehoeksrapportage (README, issue 18)


@dataclass(frozen=True)
class Row:
    label: str
    figure: str  # the app's samples
    bare: str | None  # the bare app's same or closest samples; None: an absolute target


ROWS = (
    Row("first view after the server starts", "first_view", "first_view"),
    Row("sidebar click to a drawn Kaart (warm)", "sidebar_kaart", "sidebar_kaart"),
    Row("Kaart: Niveau radio to a redrawn map (warm)", "radio", "radio"),
    Row("Trends: 'Wat' multiselect (bare: same on a chart)", "wat", "wat"),
    Row("next slide, Overzicht to Kaart (bare: sidebar)", "slide", "sidebar_kaart"),
    Row("presentatiemodus Kaart, page load (bare: /kaart)", "presentatie", "presentatie"),
    Row("Driehoeksrapportage: click to PDF file (cold)", "pdf", None),
)


def median(samples: list[Sample], field: str) -> float:
    values = [getattr(sample, field) for sample in samples]
    values = [value for value in values if not math.isnan(value)]
    return statistics.median(values) if values else math.nan


def cell(samples: list[Sample]) -> str:
    """'1.51 s (run 0.30, 30 kB) n=4': total, the server's script runs and the bytes sent."""
    if not samples:
        return "-"
    server = median(samples, "server")
    run = "" if math.isnan(server) else f"run {server:.2f}, "
    return f"{median(samples, 'total'):.2f} s ({run}{median(samples, 'kilobytes'):.0f} kB) n={len(samples)}"


def verdict(row: Row, figures: Figures) -> tuple[str, str]:
    """The comparison (ratio or difference) and the target with whether it is met."""
    app = median(figures[row.figure]["app"], "total")
    if row.bare is None:
        return "", f"< {PDF_TARGET_S:g} s: {_met(app < PDF_TARGET_S)}"
    bare = median(figures[row.bare]["bare"], "total")
    if row.figure == "first_view":
        return f"+{app - bare:.2f} s", f"<= bare + {FIRST_VIEW_TARGET_S:g} s: {_met(app - bare <= FIRST_VIEW_TARGET_S)}"
    return f"{app / bare:.2f}x", f"<= {RATIO_TARGET}x: {_met(app / bare <= RATIO_TARGET)}"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def show(figures: Figures) -> None:
    print("Browser: this app against the bare app (tests/bench/browser/bare), headless Chromium on software GL")
    print("  medians; run = seconds of the server's script runs meanwhile, kB = sent to the browser (PDF: the file)")
    print(f"  {'figure':<50} {'app':<30} {'bare (same or closest)':<30} {'app/bare':<9} target")
    for row in ROWS:
        compared, target = verdict(row, figures)
        bare = cell(figures[row.bare]["bare"]) if row.bare else ""
        print(f"  {row.label:<50} {cell(figures[row.figure]['app']):<30} {bare:<30} {compared:<9} {target}")
    notes(figures)


def notes(figures: Figures) -> None:
    """The parts of some figures: server start, the first (cold) page load, the cached PDF."""
    ready = {side: median(figures["ready"][side], "total") for side in ("app", "bare")}
    print(f"  of the first view: server start to health answered {ready['app']:.2f} s (bare {ready['bare']:.2f} s)")
    first = figures["presentatie_first"]
    print(
        f"  first presentatiemodus load of the Kaart (cold): {cell(first['app'])}; bare /kaart: {cell(first['bare'])}"
    )
    print(f"  Driehoeksrapportage again, same period (cached): {cell(figures['pdf_cached']['app'])}")


def memory(servers: dict[str, tuple[float, float]]) -> None:
    """Each server's resident memory after its sessions and reruns, and its peak."""
    shown = ", ".join(f"{name} {now:,.0f} MB (peak {peak:,.0f} MB)" for name, (now, peak) in servers.items())
    print(f"  server memory after every figure: {shown}")
