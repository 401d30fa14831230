"""The Driehoeksrapportage page model on the default database: the periods a briefing can cover, what
each version says about itself, and the PDF's file name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from ivpdata import fetch, queries
from ivpdata.page_models import rapportage as model


@pytest.fixture(scope="module")
def years(built_db) -> Iterator:
    with duckdb.connect(str(built_db), read_only=True) as con:
        yield fetch.on(con)(queries.available_years, gemeente_code="GM0505")


def test_a_public_briefing_offers_whole_calendar_years_newest_first(years):
    complete = model.complete_years(years)
    assert complete == sorted(years.loc[years["months"] == 12, "year"].astype(int), reverse=True)
    assert complete and complete == sorted(complete, reverse=True)
    newest = complete[0]
    assert model.public_default(newest, complete) == newest
    assert model.public_default(newest + 1, complete) == newest  # an incomplete year: the last complete one
    assert model.public_default(1990, complete) == newest  # no complete year before it: the newest
    assert model.public_caption(2024).startswith("Openbare versie: het hele kalenderjaar 2024, vergeleken met 2023;")


def test_an_internal_briefing_offers_every_month_of_the_years_with_data(years):
    months = model.months(years)
    assert months[0] == dt.date(int(years["year"].min()), 1, 1)
    assert months[-1] == dt.date(int(years["year"].max()), 12, 1) and len(months) % 12 == 0
    caption = model.internal_caption((dt.date(2025, 1, 1), dt.date(2025, 10, 1)))
    assert "vergeleken met dezelfde maanden een jaar eerder" in caption and "Vertrouwelijke versie" in caption


def test_the_file_name_says_gemeente_period_and_version():
    period = (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    assert (
        model.file_name("Dordrecht", period, False) == "driehoeksrapportage_Dordrecht_2025-01_2025-12_vertrouwelijk.pdf"
    )
    assert model.file_name("Súdwest-Fryslân", period, True).endswith("_2025-01_2025-12_openbaar.pdf")
