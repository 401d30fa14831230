"""data/themes.csv and data/categories.csv: the incident categories and the themes they belong to."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ivpdata.load.common import Reader, Rows, codes_in, records
from ivpdata.validate import ProblemCollector, check_unique, check_values, number, one_of

THEMES_FILE = "data/themes.csv"
CATEGORIES_FILE = "data/categories.csv"
CATEGORY_KINDS = ("totaal", "misdrijf", "overlast", "melding")


@dataclass(frozen=True)
class Categories:
    themes: Rows
    categories: Rows
    category_themes: list[dict[str, str]]

    @property
    def theme_codes(self) -> set[str]:
        return {row["theme_code"] for _, row in self.themes}

    @property
    def category_codes(self) -> set[str]:
        return {row["category_code"] for _, row in self.categories}


def read_categories(reader: Reader) -> Categories:
    themes = reader.csv("themes.csv", ["theme_code", "name", "description"])
    check_unique(themes, "theme_code", THEMES_FILE, reader.problems)
    categories = reader.csv(
        "categories.csv", ["category_code", "name", "kind", "source_system", "cbs_code", "themes", "sort_order"]
    )
    check_unique(categories, "category_code", CATEGORIES_FILE, reader.problems)
    check_values(categories, "kind", one_of(CATEGORY_KINDS), CATEGORIES_FILE, reader.problems)
    check_values(categories, "sort_order", number(), CATEGORIES_FILE, reader.problems)
    return Categories(themes, categories, _category_themes(categories, themes, reader.problems))


def _category_themes(categories: Rows, themes: Rows, problems: ProblemCollector) -> list[dict[str, str]]:
    theme_codes = {row["theme_code"] for _, row in themes}
    links = []
    for line, row in categories:
        for theme in codes_in(row["themes"]):
            if themes and theme not in theme_codes:  # no cascade when themes.csv is unreadable
                problems.add(CATEGORIES_FILE, line, "themes", f"unknown theme '{theme}'")
            links.append({"category_code": row["category_code"], "theme_code": theme})
    return links


def themes_frame(data: Categories) -> pd.DataFrame:
    return pd.DataFrame(records(data.themes))


def incident_categories_frame(data: Categories) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "category_code": row["category_code"],
                "name": row["name"],
                "kind": row["kind"],
                "source_system": row["source_system"],
                "cbs_code": row["cbs_code"] or None,
                "sort_order": int(float(row["sort_order"])),
            }
            for _, row in data.categories
        ]
    )


def category_themes_frame(data: Categories) -> pd.DataFrame:
    return pd.DataFrame(data.category_themes)
