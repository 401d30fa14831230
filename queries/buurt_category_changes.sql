-- Counts per area of one level and category in a period and in a comparison period, for every
-- pair with at least one incident in either: the candidates for "Wat valt op". Read from the stored
-- buurt rows, with where they come from (real_rows, demo_rows per period) and how many buurt-months
-- they cover (cells, of expected_cells per period): a pair whose periods differ in either is not
-- compared.
WITH buurten AS (
    SELECT
        buurt_code,
        area_code
    FROM buurt_areas
    WHERE gemeente_code = $gemeente_code AND area_level = $area_level
),

expected AS (
    SELECT DISTINCT
        area_code,
        buurten
    FROM buurt_areas
    WHERE gemeente_code = $gemeente_code AND area_level = $area_level
),

marked AS (
    SELECT
        u.area_code,
        i.category_code,
        i.incident_count,
        i.is_demo,
        make_date(i.year, i.month, 1) BETWEEN $period_start AND $period_end AS in_period,
        make_date(i.year, i.month, 1) BETWEEN $comparison_start AND $comparison_end AS in_comparison
    FROM incident_counts AS i
    INNER JOIN buurten AS u ON i.area_code = u.buurt_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.year BETWEEN year($comparison_start) AND year($period_end)
),

counted AS (
    SELECT
        area_code,
        category_code,
        sum(incident_count) FILTER (WHERE in_period) AS incident_count,
        sum(incident_count) FILTER (WHERE in_comparison) AS comparison_count,
        count(*) FILTER (WHERE in_period AND NOT is_demo) AS real_rows,
        count(*) FILTER (WHERE in_period AND is_demo) AS demo_rows,
        count(*) FILTER (WHERE in_comparison AND NOT is_demo) AS comparison_real_rows,
        count(*) FILTER (WHERE in_comparison AND is_demo) AS comparison_demo_rows
    FROM marked
    GROUP BY area_code, category_code
)

SELECT
    c.area_code,
    a.display_name AS area_name,
    c.category_code,
    k.name AS category_name,
    coalesce(c.incident_count, 0)::BIGINT AS incident_count,
    coalesce(c.comparison_count, 0)::BIGINT AS comparison_count,
    c.real_rows,
    c.demo_rows,
    c.real_rows + c.demo_rows AS cells,
    e.buurten * (date_diff('month', $period_start::DATE, $period_end::DATE) + 1) AS expected_cells,
    c.comparison_real_rows,
    c.comparison_demo_rows,
    c.comparison_real_rows + c.comparison_demo_rows AS comparison_cells,
    e.buurten * (date_diff('month', $comparison_start::DATE, $comparison_end::DATE) + 1) AS comparison_expected_cells
FROM counted AS c
INNER JOIN areas AS a ON c.area_code = a.area_code
INNER JOIN expected AS e ON c.area_code = e.area_code
INNER JOIN incident_categories AS k ON c.category_code = k.category_code
WHERE coalesce(c.incident_count, 0) + coalesce(c.comparison_count, 0) > 0
ORDER BY c.area_code, c.category_code
