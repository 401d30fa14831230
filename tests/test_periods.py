import datetime as dt

from ivpdata import periods


def test_calendar_year_and_a_year_earlier():
    year = periods.calendar_year(2024)
    assert year == (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
    assert periods.year_earlier(year, dt.date(2017, 1, 1)) == (dt.date(2023, 1, 1), dt.date(2023, 12, 1))


def test_no_earlier_period_before_the_data_starts():
    assert periods.year_earlier(periods.calendar_year(2017), dt.date(2017, 1, 1)) is None
    assert periods.year_earlier((dt.date(2018, 3, 1), dt.date(2018, 5, 1)), dt.date(2017, 1, 1)) == (
        dt.date(2017, 3, 1),
        dt.date(2017, 5, 1),
    )


def test_leap_day_free_month_starts_and_label():
    months = periods.month_starts(2020, 2021)
    assert len(months) == 24 and months[1] == dt.date(2020, 2, 1)
    assert periods.label((dt.date(2024, 1, 1), dt.date(2024, 12, 1))) == "jan 2024 - dec 2024"


def test_month_arithmetic_crosses_year_boundaries():
    assert periods.add_months(dt.date(2024, 1, 1), -1) == dt.date(2023, 12, 1)
    assert periods.add_months(dt.date(2024, 11, 1), 2) == dt.date(2025, 1, 1)
    assert periods.add_months(dt.date(2024, 3, 1), -14) == dt.date(2023, 1, 1)
    assert periods.month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)  # leap year
    assert periods.month_end(dt.date(2023, 2, 1)) == dt.date(2023, 2, 28)
    assert periods.month_end(dt.date(2024, 12, 1)) == dt.date(2024, 12, 31)


def test_compstat_windows():
    windows = {w.label: w for w in periods.compstat_windows(dt.date(2025, 2, 14))}
    assert windows["Deze maand"].period == (dt.date(2025, 2, 1), dt.date(2025, 2, 1))
    assert windows["Deze maand"].earlier == (dt.date(2024, 2, 1), dt.date(2024, 2, 1))
    assert windows["Laatste 3 maanden"].period == (dt.date(2024, 12, 1), dt.date(2025, 2, 1))
    assert windows["Jaar tot nu"].period == (dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    assert windows["Jaar tot nu"].earlier == (dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    assert windows["Laatste 12 maanden"].period == (dt.date(2024, 3, 1), dt.date(2025, 2, 1))
    assert windows["Laatste 12 maanden"].earlier == (dt.date(2023, 3, 1), dt.date(2024, 2, 1))
    january = {w.label: w for w in periods.compstat_windows(dt.date(2025, 1, 1))}
    assert january["Jaar tot nu"].period == january["Deze maand"].period
