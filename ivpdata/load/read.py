"""`read_sources`: every file of a data directory read and checked, in the order in which they refer
to each other (a later file is checked against the codes of the earlier ones)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ivpdata.load import area_groups, area_notes, categories, figures, measure_types, results, sources
from ivpdata.load.area_notes import AreaNotes
from ivpdata.load.areas import read_areas
from ivpdata.load.categories import Categories
from ivpdata.load.common import Codes, Reader, Rows
from ivpdata.load.demo import DemoFiles, read_demo_files
from ivpdata.load.gemeenten import GemeenteConfig, municipalities_frame, read_gemeenten
from ivpdata.load.realdata import read_cbs_crime_totals, read_kwb_population
from ivpdata.load.source_data import SourceData
from ivpdata.plans import Known, read_plans
from ivpdata.validate import ProblemCollector


def read_sources(data_dir: Path) -> SourceData:
    """Every table, or a DataError listing every problem of every file (file, row, column, message)."""
    reader = Reader(Path(data_dir), ProblemCollector())
    checked = _read_all(reader)
    reader.problems.raise_if_any()
    return _source_data(checked)


@dataclass(frozen=True)
class _References:
    """The reference files, read and checked, and the codes the published files may use."""

    source_rows: Rows
    categories: Categories
    config: GemeenteConfig
    areas: pd.DataFrame
    measure_type_rows: Rows
    group_rows: Rows
    plans: dict[str, pd.DataFrame]
    codes: Codes


@dataclass(frozen=True)
class _Checked:
    """What the files hold, read and checked (not yet as tables)."""

    references: _References
    group_members: list[dict[str, str]]
    figure_rows: Rows
    result_rows: Rows
    notes: AreaNotes
    population: pd.DataFrame
    real_figures: tuple[pd.DataFrame, pd.DataFrame]  # population and crime totals as figures
    demo: DemoFiles


def _read_all(reader: Reader) -> _Checked:
    """Every file; each problem is collected in `reader.problems` (in the order of the files)."""
    references = _read_references(reader)
    codes = references.codes
    measure_types.check_measure_types(references.measure_type_rows, codes.priorities, reader.problems)
    figure_rows = figures.read_figures(reader, codes)
    result_rows = results.read_results(reader, codes, figures.figure_ids(figure_rows))
    group_members = area_groups.check_area_groups(references.group_rows, codes.areas, reader.problems)
    notes = area_notes.read_area_notes(reader, codes)
    population, population_figures = read_kwb_population(reader, codes.gemeenten)
    crime_figures = read_cbs_crime_totals(reader, references.config.names_to_codes)
    return _Checked(
        references=references,
        group_members=group_members,
        figure_rows=figure_rows,
        result_rows=result_rows,
        notes=notes,
        population=population,
        real_figures=(population_figures, crime_figures),
        demo=read_demo_files(reader, codes),
    )


def _read_references(reader: Reader) -> _References:
    """Reference lists first: later files are checked against them. Measure types and area groups
    are checked later: they refer to priorities and areas, and the plans refer to them."""
    source_rows = sources.read_source_list(reader)
    category_data = categories.read_categories(reader)
    config = read_gemeenten(reader)
    areas = read_areas(reader, config.gemeenten)
    area_codes = set(areas["area_code"]) if not areas.empty else set()
    measure_type_rows = measure_types.read_measure_types(reader)
    group_rows = area_groups.read_area_groups(reader)
    known = Known(
        gemeenten=config.codes,
        sources=sources.source_ids(source_rows),
        categories=category_data.category_codes,
        themes=category_data.theme_codes,
        areas=area_codes | area_groups.group_codes(group_rows),  # an indicator may be about an area group
        measures=measure_types.measure_codes(measure_type_rows),
    )
    plans = read_plans(reader.data_dir, known, reader.problems)
    codes = Codes(
        sources=known.sources,
        themes=known.themes,
        categories=known.categories,
        gemeenten=known.gemeenten,
        areas=area_codes,
        area_groups=area_groups.group_codes(group_rows),
        measures=known.measures,
        priorities=set(plans["priorities"]["priority_code"]) if not plans["priorities"].empty else set(),
    )
    return _References(source_rows, category_data, config, areas, measure_type_rows, group_rows, plans, codes)


def _source_data(checked: _Checked) -> SourceData:
    refs = checked.references
    published = figures.figures_frame(checked.figure_rows, *checked.real_figures)
    demo_notes = checked.demo.notes
    return SourceData(
        default_gemeente=refs.config.default,
        gemeenten=refs.config.gemeenten,
        sources=sources.sources_frame(refs.source_rows),
        municipalities=municipalities_frame(refs.config),
        areas=refs.areas,
        area_groups=area_groups.area_groups_frame(refs.group_rows),
        area_group_members=area_groups.area_group_members_frame(checked.group_members),
        area_notes=area_notes.area_notes_frame(checked.notes, demo_notes),
        area_note_targets=area_notes.area_note_targets_frame(checked.notes, demo_notes),
        themes=categories.themes_frame(refs.categories),
        incident_categories=categories.incident_categories_frame(refs.categories),
        category_themes=categories.category_themes_frame(refs.categories),
        published_figures=published,
        measure_types=measure_types.measure_types_frame(refs.measure_type_rows),
        measures=results.measures_frame(published, checked.result_rows),
        plans=refs.plans["plans"],
        priorities=refs.plans["priorities"],
        plan_principles=refs.plans["plan_principles"],
        goals=refs.plans["goals"],
        indicators=refs.plans["indicators"],
        indicator_values=refs.plans["indicator_values"],
        population=checked.population,
        demo_profile=checked.demo.profile,
        periods=checked.demo.periods,
    )
