"""Disclosure rules on constructed cases: small counts, sensitive categories, and that a hidden
cell cannot be worked out from row and column totals (checked with an independent LP audit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ivpdata import disclosure
from ivpdata.config import load_settings
from ivpdata.disclosure import Rules

RULES = Rules()  # threshold 5, zedenmisdrijf and huiselijk geweld from wijk level


def long_table(values: np.ndarray | list[list[int]], rows: str = "buurt", columns: str = "categorie") -> pd.DataFrame:
    """A 2-D table of counts as long data: one row per cell."""
    values = np.asarray(values)
    return pd.DataFrame(
        [(f"{rows}{i}", f"{columns}{j}", int(count)) for (i, j), count in np.ndenumerate(values)],
        columns=[rows, columns, "n"],
    )


def hidden_cells(reasons: pd.Series) -> pd.Series:
    return reasons != disclosure.SHOWN


def test_one_small_cell_in_a_line_gets_a_partner():
    cells = pd.DataFrame({"buurt": list("abcdef"), "n": [3, 12, 7, 20, 9, 0]})
    lines: list[list[str]] = [[]]  # the buurten sum to the public gemeente total

    only_primary = pd.Series(np.where(cells["n"].between(1, 4), disclosure.SMALL, ""))
    leak = disclosure.audit(cells, "n", lines, only_primary, RULES)
    assert (leak["low"] == leak["high"]).all()  # alone in its line, the 3 follows from the total

    reasons = disclosure.suppress(cells, "n", lines, RULES)
    assert reasons.tolist().count(disclosure.SMALL) == 1
    partner = cells["n"][reasons == disclosure.COMPLEMENTARY]
    assert partner.tolist() == [7]  # the smallest count above the threshold: least information lost
    result = disclosure.audit(cells, "n", lines, reasons, RULES)
    assert result["protected"].all()
    small = result[result["reason"] == disclosure.SMALL].iloc[0]
    assert small["low"] < small["high"]  # a range, not the value


def test_two_small_cells_summing_to_two_get_a_third():
    cells = pd.DataFrame({"buurt": list("abcde"), "n": [1, 1, 8, 9, 12]})
    only_primary = pd.Series(np.where(cells["n"] < 5, disclosure.SMALL, ""))
    leak = disclosure.audit(cells, "n", [[]], only_primary, RULES)
    assert (leak["low"] == 1).all() and (leak["high"] == 1).all()  # two "< 5" with hidden sum 2: both 1

    reasons = disclosure.suppress(cells, "n", [[]], RULES)
    assert hidden_cells(reasons).sum() == 3
    assert cells["n"][reasons == disclosure.COMPLEMENTARY].tolist() == [8]
    assert disclosure.audit(cells, "n", [[]], reasons, RULES)["protected"].all()


def test_row_and_column_totals_the_classic_trap():
    # 4 buurten x 3 categories; the buurt totals and the category totals are public. Completing
    # each line on its own hides the 6s next to the 4 and the 1: a 2x2 block. But the 4 can only
    # go down (it is "< 5") and the 1 only up, so every cell of that block is pinned.
    values = [[4, 6, 20], [6, 1, 25], [30, 31, 32], [33, 34, 35]]
    cells = long_table(values)
    lines = [["buurt"], ["categorie"]]

    block = np.array(
        [disclosure.SMALL, disclosure.COMPLEMENTARY, "", disclosure.COMPLEMENTARY, disclosure.SMALL] + [""] * 7
    )
    trap = disclosure.audit(cells, "n", lines, pd.Series(block), RULES)
    assert (trap["low"] == trap["high"]).all()
    assert trap.loc[trap["n"] == 4, "low"].iloc[0] == 4  # the audit recovers the hidden 4 exactly

    only_primary = pd.Series(np.where(cells["n"] < 5, disclosure.SMALL, ""))
    assert not disclosure.audit(cells, "n", lines, only_primary, RULES)["protected"].any()

    reasons = disclosure.suppress(cells, "n", lines, RULES)
    result = disclosure.audit(cells, "n", lines, reasons, RULES)
    assert hidden_cells(reasons).sum() > 4  # more than the block
    assert result["protected"].all(), result
    assert disclosure.audit(cells, "n", lines, reasons, RULES, strict=False)["protected"].all()


def test_no_hidden_cell_can_be_derived_in_random_tables():
    rng = np.random.default_rng(20240505)
    hidden_total = 0
    for _ in range(50):
        shape = (int(rng.integers(3, 7)), int(rng.integers(2, 6)))
        values = rng.poisson(rng.uniform(3, 15), shape)
        cells = long_table(values)
        lines = [["buurt"], ["categorie"]]
        reasons = disclosure.suppress(cells, "n", lines, RULES)
        small = (values > 0) & (values < 5)
        assert (hidden_cells(reasons).to_numpy().reshape(shape) | ~small).all()  # every small count is hidden
        result = disclosure.audit(cells, "n", lines, reasons, RULES)
        hidden_total += len(result)
        exposed = result[result["low"] == result["high"]]
        assert exposed.empty, f"{values}\n{exposed}"
    assert hidden_total > 100  # the tables did have something to protect


def test_wijk_and_gemeente_totals_over_buurten():
    # Buurten nested in wijken: per category the wijk totals and the gemeente total are public,
    # and each buurt's total over the categories.
    rng = np.random.default_rng(7)
    for _ in range(12):
        values = rng.poisson(rng.uniform(2, 10), (6, 3))
        cells = long_table(values).assign(wijk=lambda frame: frame["buurt"].str[-1].astype(int) % 2)
        lines = [["categorie"], ["categorie", "wijk"], ["buurt"]]
        reasons = disclosure.suppress(cells, "n", lines, RULES)
        result = disclosure.audit(cells, "n", lines, reasons, RULES)
        assert (result["low"] < result["high"]).all(), f"{values}\n{result}"


def test_zeros_and_counts_at_the_threshold_are_shown():
    cells = pd.DataFrame({"buurt": list("abcd"), "n": [0, 5, 12, 30]})
    reasons = disclosure.suppress(cells, "n", [[]], RULES)
    assert not hidden_cells(reasons).any()
    table = disclosure.protect_table(pd.DataFrame({"Buurt": list("abcd"), "Aantal": [0, 5, 12, 30]}), ["Aantal"], RULES)
    assert table.frame["Aantal"].tolist() == [0, 5, 12, 30]
    assert table.notes == []


def test_a_small_buurt_total_needs_no_hidden_zeros():
    # Each buurt's total is public. A buurt with three incidents in all: its total is itself shown
    # as "< 5", so its "< 5" cells cannot be pinned down and its zeros stay visible.
    values = [[1, 1, 1, 0, 0], [9, 12, 7, 15, 8], [11, 6, 9, 10, 13]]
    cells = long_table(values)
    reasons = disclosure.suppress(cells, "n", [["buurt"]], RULES)
    assert reasons[cells["buurt"] == "buurt0"].tolist() == ["klein", "klein", "klein", "", ""]
    assert disclosure.audit(cells, "n", [["buurt"]], reasons, RULES)["protected"].all()
    # With the category totals public as well, that buurt total follows exactly from the others
    # (the sum of the categories minus the other buurten): the three "< 5" would all be 1.
    lines = [["buurt"], ["categorie"]]
    reasons = disclosure.suppress(cells, "n", lines, RULES)
    assert disclosure.SMALL not in reasons[cells["buurt"] == "buurt0"].tolist()
    assert disclosure.audit(cells, "n", lines, reasons, RULES)["protected"].all()


def test_small_counts_that_give_themselves_away_are_shown_as_x():
    # Two "< 5" in a row whose public total is 8 are both 4: shown as "x" instead.
    frame = pd.DataFrame({"Buurt": ["a", "b", "c"], "2024": [4, 10, 12], "2025": [4, 9, 14]})
    table = disclosure.protect_table(frame, ["2024", "2025"], RULES, lines=[], row_totals=True)
    assert table.frame.loc[0, "2024"] == "x" and table.frame.loc[0, "2025"] == "x"
    cells = long_table(frame[["2024", "2025"]].to_numpy())
    reasons = pd.Series(table.reasons[["2024", "2025"]].to_numpy().ravel())
    assert disclosure.audit(cells, "n", [["buurt"]], reasons, RULES)["protected"].all()


def test_a_complement_at_the_threshold_does_not_give_away_a_one():
    # "< 5", "x", 0 with a public total of 6: a reader knows an "x" is not small (it would read
    # "< 5"), so x = 5 and the "< 5" is 1.
    cells = pd.DataFrame({"buurt": list("abc"), "n": [1, 5, 0]})
    naive = pd.Series([disclosure.SMALL, disclosure.COMPLEMENTARY, ""])
    assert disclosure.audit(cells, "n", [[]], naive, RULES, strict=False)["protected"].all()
    assert not disclosure.audit(cells, "n", [[]], naive, RULES)["protected"].any()

    reasons = disclosure.suppress(cells, "n", [[]], RULES)
    assert disclosure.audit(cells, "n", [[]], reasons, RULES)["protected"].all()
    assert reasons.tolist() != naive.tolist()


def test_sensitive_categories_are_hidden_below_wijk_level():
    cells = pd.DataFrame(
        {
            "level": ["buurt", "buurt", "buurt", "wijk", "buurt", "wijk"],
            "area": ["b1", "b2", "b3", "w1", "b1", "w1"],
            "category_code": ["1.4.1", "1.4.1", "1.4.1", "1.4.1", "1.1.1", "MMA-HG"],
            "n": [40, 0, 7, 47, 3, 12],
        }
    )
    sensitive = RULES.sensitive_mask(cells["category_code"], cells["level"])
    assert sensitive.tolist() == [True, True, True, False, False, False]
    reasons = disclosure.suppress(cells, "n", [], RULES, sensitive=sensitive)
    assert reasons.tolist() == ["gevoelig", "gevoelig", "gevoelig", "", "klein", ""]  # 40 too; 47 per wijk shown

    assert RULES.is_sensitive("1.4.1", "buurt")
    assert RULES.is_sensitive(["1.1.1", "MMA-HG"], "buurt")  # a theme that includes huiselijk geweld
    assert not RULES.is_sensitive("1.4.1", "wijk")
    assert not RULES.is_sensitive("1.4.1", "groep")  # area groups count as wijk level or above
    assert not RULES.is_sensitive("1.1.1", "buurt")
    with pytest.raises(ValueError):
        RULES.is_sensitive("1.4.1", "straat")


def test_a_sensitive_cell_cannot_be_derived_from_the_buurt_total():
    # Per buurt the total over categories is public: zedenmisdrijf = total - the rest, unless
    # another category of that buurt is hidden too.
    values = [[6, 20, 14], [9, 31, 12], [7, 18, 25]]
    cells = long_table(values)
    sensitive = (cells["categorie"] == "categorie0").to_numpy()
    lines = [["buurt"], ["categorie"]]
    reasons = disclosure.suppress(cells, "n", lines, RULES, sensitive=sensitive)
    assert (reasons[sensitive] == disclosure.SENSITIVE).all()
    result = disclosure.audit(cells, "n", lines, reasons, RULES)
    assert result["protected"].all()


def test_derived_columns_are_hidden_with_their_counts():
    frame = pd.DataFrame(
        {
            "Buurt": ["Centrum", "Noord", "Oost", "West"],
            "Aantal": [3, 40, 25, 30],
            "Vorig jaar": [6, 2, 31, 28],
            "Per 1.000 inwoners": [1.5, 20.0, 12.5, 15.0],
            "Verandering (%)": [-50.0, 1900.0, -19.4, 7.1],
        }
    )
    derived = {"Per 1.000 inwoners": ["Aantal"], "Verandering (%)": ["Aantal", "Vorig jaar"]}
    table = disclosure.protect_table(frame, ["Aantal", "Vorig jaar"], RULES, derived=derived, lines=[])
    shown = table.frame.set_index("Buurt")
    assert shown.loc["Centrum", "Aantal"] == "< 5"
    assert shown.loc["Centrum", "Per 1.000 inwoners"] == "x" and shown.loc["Centrum", "Verandering (%)"] == "x"
    assert shown.loc["Noord", "Vorig jaar"] == "< 5"
    assert shown.loc["Noord", "Per 1.000 inwoners"] == 20.0  # its count is shown, so is the rate
    assert shown.loc["Noord", "Verandering (%)"] == "x"
    assert shown.loc["Oost"].tolist() == frame.set_index("Buurt").loc["Oost"].tolist()
    assert table.hidden.loc[0, "Per 1.000 inwoners"] and not table.hidden.loc[1, "Per 1.000 inwoners"]
    assert any("Per 1.000 inwoners en Verandering (%)" in note for note in table.notes)


def test_notes_only_for_reasons_that_occur():
    frame = pd.DataFrame({"Buurt": list("abcd"), "Aantal": [3, 12, 7, 20]})
    only_small = disclosure.protect_table(frame, ["Aantal"], RULES, lines=[])
    assert len(only_small.notes) == 1 and only_small.notes[0].startswith("< 5: minder dan 5")

    with_total = disclosure.protect_table(frame, ["Aantal"], RULES)  # the column total is public
    assert with_total.frame["Aantal"].tolist() == ["< 5", 12, "x", 20]
    assert len(with_total.notes) == 2 and with_total.notes[1].startswith("x: afgeschermd")

    sensitive = disclosure.protect_table(frame, ["Aantal"], RULES, lines=[], sensitive=[True, False, False, False])
    assert sensitive.frame["Aantal"].tolist() == ["x", 12, 7, 20]
    assert sensitive.notes == [
        "Zedenmisdrijf en huiselijk geweld worden openbaar alleen per wijk of groter gebied getoond (x)."
    ]


def test_threshold_comes_from_the_settings():
    rules = Rules.from_settings({"disclosure": {"threshold": 10}})
    frame = pd.DataFrame({"Buurt": list("abc"), "Aantal": [7, 10, 4]})
    table = disclosure.protect_table(frame, ["Aantal"], rules, lines=[])
    assert table.frame["Aantal"].tolist() == ["< 10", 10, "< 10"]
    assert table.notes[0].startswith("< 10: minder dan 10")
    assert "onder 10 als '< 10'" in rules.summary()


def test_the_real_settings_file():
    settings = load_settings()
    rules = Rules.from_settings(settings)
    assert {"1.4.1", "MMA-HG"} <= rules.sensitive_categories
    assert rules.threshold == settings["disclosure"]["threshold"]
    assert rules.sensitive_min_level == "wijk"
    summary = rules.summary()
    assert summary.startswith("Openbaar: aantallen onder 5 als '< 5'")
    assert "zedenmisdrijf en huiselijk geweld alleen per wijk" in summary


def test_chart_data_gets_gaps():
    data = pd.DataFrame(
        {
            "month": pd.date_range("2025-01-01", periods=6, freq="MS"),
            "incident_count": [12, 3, 9, 0, 14, 6],
            "value": [6.0, 1.5, 4.5, 0.0, 7.0, 3.0],
        }
    )
    result = disclosure.protect_series(data, "incident_count", RULES, value="value")
    assert result.frame["value"].isna().tolist() == [False, True, False, False, False, False]
    assert result.frame["incident_count"].isna().sum() == 1
    assert data["value"].notna().all()  # the input is untouched
    assert len(result.notes) == 1 and "minder dan 5" in result.notes[0]

    with_year_total = disclosure.protect_series(data, "incident_count", RULES, value="value", lines=[[]])
    assert with_year_total.frame["value"].isna().tolist() == [False, True, False, False, False, True]
    assert len(with_year_total.notes) == 2


def test_same_input_same_output():
    rng = np.random.default_rng(3)
    cells = long_table(rng.poisson(4, (12, 6)))
    lines = [["buurt"], ["categorie"]]
    first = disclosure.suppress(cells, "n", lines, RULES)
    assert first.equals(disclosure.suppress(cells, "n", lines, RULES))


def test_public_view_leaves_sensitive_categories_out_of_a_sum_below_wijk_level():
    rules = Rules.from_settings(load_settings())
    hic = ("1.1.1", "1.4.1", "1.4.5")
    codes, level, note = rules.public_view(hic, "buurt")
    assert (codes, level) == (("1.1.1", "1.4.5"), "buurt")
    assert note is not None and note.startswith("Zonder zedenmisdrijf")
    assert rules.public_view(("1.4.1", "MMA-HG"), "buurt")[1:] == (
        "wijk",
        "Zedenmisdrijf en huiselijk geweld worden openbaar alleen per wijk getoond.",
    )
    assert rules.public_view(hic, "wijk") == (hic, "wijk", None)
    assert rules.public_view(("1.1.1",), "buurt") == (("1.1.1",), "buurt", None)
