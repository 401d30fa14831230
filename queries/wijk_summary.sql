-- Registered crime and overlast per wijk of a gemeente in a year, with inhabitants and rates, read
-- from the stored buurt rows: real_rows and demo_rows tell a wijk of demo data, of real data or of
-- both apart; cells (buurt-months with a row) of expected_cells say how much of the year is covered.
-- population_is_demo: whether the inhabitants are demo (null where the year has none).
WITH buurten AS (
    SELECT
        area_code,
        parent_code
    FROM areas
    WHERE gemeente_code = $gemeente_code AND area_level = 'buurt'
),

expected AS (
    SELECT
        parent_code AS area_code,
        count(*) * 12 AS expected_cells
    FROM buurten
    GROUP BY parent_code
),

buurt_counts AS (
    -- per buurt from the yearly summary of the monthly rows (a twelfth of them): the months with
    -- a row of any category are the bits set in any of their month_masks
    SELECT
        b.parent_code,
        y.area_code,
        sum(y.incident_count) FILTER (WHERE k.kind = 'misdrijf') AS crime_count,
        sum(y.incident_count) FILTER (WHERE k.kind = 'overlast') AS overlast_count,
        bool_or(y.demo_rows > 0) AS is_demo,
        sum(y.real_rows) AS real_rows,
        sum(y.demo_rows) AS demo_rows,
        bit_count(bit_or(y.month_mask)) AS months
    FROM incident_count_years AS y
    INNER JOIN buurten AS b ON y.area_code = b.area_code
    INNER JOIN incident_categories AS k ON y.category_code = k.category_code
    WHERE
        y.gemeente_code = $gemeente_code
        AND y.year = $year
    GROUP BY b.parent_code, y.area_code
),

counts AS (
    SELECT
        parent_code AS area_code,
        sum(crime_count) AS crime_count,
        sum(overlast_count) AS overlast_count,
        bool_or(is_demo) AS is_demo,
        sum(real_rows)::BIGINT AS real_rows,
        sum(demo_rows)::BIGINT AS demo_rows,
        sum(months)::BIGINT AS cells
    FROM buurt_counts
    GROUP BY parent_code
)

SELECT
    a.area_code,
    a.display_name AS wijk_name,
    p.inhabitants,
    c.crime_count,
    c.overlast_count,
    c.crime_count * 1000.0 / nullif(p.inhabitants, 0) AS crime_per_1000,
    c.is_demo OR coalesce(p.is_demo, true) AS is_demo,
    p.is_demo AS population_is_demo,
    coalesce(c.real_rows, 0) AS real_rows,
    coalesce(c.demo_rows, 0) AS demo_rows,
    coalesce(c.cells, 0) AS cells,
    coalesce(e.expected_cells, 0) AS expected_cells
FROM areas AS a
LEFT JOIN counts AS c ON a.area_code = c.area_code
LEFT JOIN expected AS e ON a.area_code = e.area_code
LEFT JOIN population AS p ON a.area_code = p.area_code AND p.year = $year
WHERE a.gemeente_code = $gemeente_code AND a.area_level = 'wijk'
ORDER BY a.area_code
