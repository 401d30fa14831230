-- Yearly counts per buurt and category in a gemeente, the input of the public release
-- (disclosure.make_releases): the year's sums of the monthly counts target_month_counts gives for
-- each buurt, with the rows behind them (real_rows, demo_rows), the months with a row (months) and
-- the months of the year with any row of the chosen buurten and categories (year_months: a
-- calendar year is complete at 12). Read from the yearly summary incident_count_years (written
-- with incident_counts), a twelfth of the monthly rows. In no set order: the release does not
-- depend on it (its content key counts the rows in any order), and sorting the 40,000 rows of
-- Dordrecht took half the query's time.
WITH chosen_years AS (
    SELECT
        y.area_code,
        y.year,
        y.category_code,
        y.incident_count,
        y.real_rows,
        y.demo_rows,
        y.month_mask
    FROM incident_count_years AS y
    INNER JOIN areas AS b ON y.area_code = b.area_code
    WHERE
        y.gemeente_code = $gemeente_code
        AND b.area_level = 'buurt'
        AND b.gemeente_code = $gemeente_code
        AND list_contains($buurt_codes, y.area_code)
        AND list_contains($category_codes, y.category_code)
),

months_per_year AS (
    SELECT
        year,
        bit_count(bit_or(month_mask))::BIGINT AS year_months
    FROM chosen_years
    GROUP BY year
)

SELECT
    c.area_code AS target_code,
    c.year,
    c.category_code,
    c.incident_count,
    c.real_rows::BIGINT AS real_rows,
    c.demo_rows::BIGINT AS demo_rows,
    bit_count(c.month_mask)::BIGINT AS months,
    y.year_months
FROM chosen_years AS c
INNER JOIN months_per_year AS y ON c.year = y.year
