-- Yearly counts per buurt and category in a gemeente, the input of the public release
-- (disclosure.make_releases): the year's sums of the monthly counts target_month_counts gives for
-- each buurt, with the rows behind them (real_rows, demo_rows), the months with a row (months) and
-- the months of the year with any row of the chosen buurten and categories (year_months: a
-- calendar year is complete at 12). Summed in the database: a twelfth of the monthly rows.
WITH chosen_rows AS (
    SELECT
        i.area_code,
        i.year,
        i.month,
        i.category_code,
        i.incident_count,
        i.is_demo
    FROM incident_counts AS i
    INNER JOIN areas AS b ON i.area_code = b.area_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND b.area_level = 'buurt'
        AND b.gemeente_code = $gemeente_code
        AND list_contains($buurt_codes, i.area_code)
        AND list_contains($category_codes, i.category_code)
),

buurt_months AS (
    SELECT
        area_code,
        year,
        month,
        category_code,
        sum(incident_count) AS incident_count,
        count(*) FILTER (WHERE NOT is_demo) AS real_rows,
        count(*) FILTER (WHERE is_demo) AS demo_rows
    FROM chosen_rows
    GROUP BY area_code, year, month, category_code
),

months_per_year AS (
    SELECT
        year,
        count(DISTINCT month) AS year_months
    FROM buurt_months
    GROUP BY year
)

SELECT
    m.area_code AS target_code,
    m.year,
    m.category_code,
    sum(m.incident_count)::BIGINT AS incident_count,
    sum(m.real_rows)::BIGINT AS real_rows,
    sum(m.demo_rows)::BIGINT AS demo_rows,
    count(*) AS months,
    any_value(y.year_months) AS year_months
FROM buurt_months AS m
INNER JOIN months_per_year AS y ON m.year = y.year
GROUP BY m.area_code, m.year, m.category_code
ORDER BY m.area_code, m.year, m.category_code
