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
    assert windows["Peilmaand"].period == (dt.date(2025, 2, 1), dt.date(2025, 2, 1))
    assert windows["Peilmaand"].earlier == (dt.date(2024, 2, 1), dt.date(2024, 2, 1))
    assert windows["Laatste 3 maanden"].period == (dt.date(2024, 12, 1), dt.date(2025, 2, 1))
    assert windows["Jaar tot peilmaand"].period == (dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    assert windows["Jaar tot peilmaand"].earlier == (dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    assert windows["Laatste 12 maanden"].period == (dt.date(2024, 3, 1), dt.date(2025, 2, 1))
    assert windows["Laatste 12 maanden"].earlier == (dt.date(2023, 3, 1), dt.date(2024, 2, 1))
    january = {w.label: w for w in periods.compstat_windows(dt.date(2025, 1, 1))}
    assert january["Jaar tot peilmaand"].period == january["Peilmaand"].period


# --- Period presets ------------------------------------------------------------------------------

M = dt.date  # a month: M(2025, 6, 1)


def test_presets_name_periods_up_to_the_latest_month_with_data():
    span = periods.Span(M(2017, 1, 1), M(2025, 6, 1))
    assert periods.preset_period(periods.LAATSTE_12_MAANDEN, span) == (M(2024, 7, 1), M(2025, 6, 1))
    assert periods.preset_period(periods.DIT_JAAR, span) == (M(2025, 1, 1), M(2025, 6, 1))
    assert periods.preset_period(periods.VORIG_JAAR, span) == (M(2024, 1, 1), M(2024, 12, 1))
    assert periods.preset_period(periods.EIGEN_KEUZE, span) is None
    assert periods.offered_presets(span) == list(periods.PRESETS)
    assert [periods.PRESETS[p] for p in periods.offered_presets(span)] == [
        "Laatste 12 maanden",
        "Dit jaar tot nu",
        "Vorig jaar",
        "Eigen keuze",
    ]


def test_a_period_is_recognised_as_its_preset():
    span = periods.Span(M(2017, 1, 1), M(2025, 6, 1))
    assert periods.preset_of((M(2024, 7, 1), M(2025, 6, 1)), span) == periods.LAATSTE_12_MAANDEN
    assert periods.preset_of((M(2025, 1, 1), M(2025, 6, 1)), span) == periods.DIT_JAAR
    assert periods.preset_of((M(2024, 1, 1), M(2024, 12, 1)), span) == periods.VORIG_JAAR
    assert periods.preset_of((M(2024, 1, 1), M(2024, 11, 1)), span) == periods.EIGEN_KEUZE
    assert periods.preset_of((M(2023, 1, 1), M(2023, 12, 1)), span) == periods.EIGEN_KEUZE  # not last year


def test_in_december_the_last_12_months_are_this_year_and_the_users_name_stays():
    span = periods.Span(M(2017, 1, 1), M(2025, 12, 1))
    year = (M(2025, 1, 1), M(2025, 12, 1))
    assert periods.preset_period(periods.LAATSTE_12_MAANDEN, span) == periods.preset_period(periods.DIT_JAAR, span)
    assert periods.preset_of(year, span) == periods.LAATSTE_12_MAANDEN
    assert periods.preset_of(year, span, preferred=periods.DIT_JAAR) == periods.DIT_JAAR
    assert periods.preset_of(year, span, preferred=periods.VORIG_JAAR) == periods.LAATSTE_12_MAANDEN  # not its months


def test_january_this_year_is_one_month():
    span = periods.Span(M(2017, 1, 1), M(2025, 1, 1))
    assert periods.preset_period(periods.DIT_JAAR, span) == (M(2025, 1, 1), M(2025, 1, 1))
    assert periods.preset_period(periods.LAATSTE_12_MAANDEN, span) == (M(2024, 2, 1), M(2025, 1, 1))


def test_sparse_data_offers_no_preset_it_cannot_form():
    four_months = periods.Span(M(2025, 3, 1), M(2025, 6, 1))  # no January, no 12 months, no last year
    assert periods.offered_presets(four_months) == [periods.EIGEN_KEUZE]
    assert periods.preset_period(periods.DIT_JAAR, four_months) is None
    assert periods.preset_of((M(2025, 3, 1), M(2025, 6, 1)), four_months) == periods.EIGEN_KEUZE
    half_year = periods.Span(M(2025, 1, 1), M(2025, 6, 1))  # this year only
    assert periods.offered_presets(half_year) == [periods.DIT_JAAR, periods.EIGEN_KEUZE]
    year_back = periods.Span(M(2024, 7, 1), M(2025, 6, 1))  # 12 months, but last year half
    assert periods.offered_presets(year_back) == [periods.LAATSTE_12_MAANDEN, periods.DIT_JAAR, periods.EIGEN_KEUZE]
    eleven = periods.Span(M(2024, 8, 1), M(2025, 6, 1))
    assert periods.LAATSTE_12_MAANDEN not in periods.offered_presets(eleven)
    whole_last_year = periods.Span(M(2024, 1, 1), M(2025, 2, 1))
    assert periods.offered_presets(whole_last_year) == list(periods.PRESETS)
    assert periods.preset_period(periods.VORIG_JAAR, periods.Span(M(2024, 2, 1), M(2025, 6, 1))) is None


def test_preset_labels_say_this_year_only_when_the_data_reaches_it():
    """On 7 December 2026 with data up to December 2025, "Dit jaar tot nu" would name 2025."""
    span = periods.Span(dt.date(2017, 1, 1), dt.date(2025, 12, 1))
    current = [periods.preset_label(p, span, dt.date(2025, 12, 20)) for p in periods.PRESETS]
    assert current == ["Laatste 12 maanden", "Dit jaar tot nu", "Vorig jaar", "Eigen keuze"]
    later = [periods.preset_label(p, span, dt.date(2026, 12, 7)) for p in periods.PRESETS]
    assert later == ["Laatste 12 maanden met cijfers", "Jaar 2025", "Jaar 2024", "Eigen keuze"]
