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
