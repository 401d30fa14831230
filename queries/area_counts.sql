-- Counts per area of one level for a set of categories in a period and in a comparison
-- period, with inhabitants in the period's last year, read from the stored buurt rows. Where
-- the stored rows come from (real_rows, demo_rows: buurt x month x category rows) and how much
-- they cover (cells: buurt-months with a row, of expected_cells) tell a figure of demo data, of
-- real data or of both apart, and a missing row from a zero: an area without any row in the
-- period has cells = 0 ("geen cijfers"); its incident_count reads 0 for the callers that sum.
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

cells AS (
    -- one row per buurt and month (the categories summed), marked by the period it falls in
    SELECT
        u.area_code,
        make_date(c.year, c.month, 1) BETWEEN $period_start AND $period_end AS in_period,
        coalesce(make_date(c.year, c.month, 1) BETWEEN $comparison_start AND $comparison_end, false)
            AS in_comparison,
        sum(c.incident_count) AS incident_count,
        bool_or(c.is_demo) AS is_demo,
        bool_or(c.is_provisional) AS is_provisional,
        count(*) FILTER (WHERE NOT c.is_demo) AS real_rows,
        count(*) FILTER (WHERE c.is_demo) AS demo_rows
    FROM incident_counts AS c
    INNER JOIN buurten AS u ON c.area_code = u.buurt_code
    WHERE
        c.gemeente_code = $gemeente_code
        AND list_contains($category_codes, c.category_code)
        -- only the years of the two periods
        AND c.year BETWEEN year(least($period_start, coalesce($comparison_start, $period_start)))
        AND year(greatest($period_end, coalesce($comparison_end, $period_end)))
    GROUP BY u.area_code, c.area_code, c.year, c.month
),

selected AS (
    SELECT
        area_code,
        sum(incident_count) FILTER (WHERE in_period) AS incident_count,
        sum(incident_count) FILTER (WHERE in_comparison) AS comparison_count,
        bool_or(is_demo) AS is_demo,
        bool_or(is_provisional) FILTER (WHERE in_period) AS is_provisional,
        sum(real_rows) FILTER (WHERE in_period) AS real_rows,
        sum(demo_rows) FILTER (WHERE in_period) AS demo_rows,
        count(*) FILTER (WHERE in_period) AS cells,
        sum(real_rows) FILTER (WHERE in_comparison) AS comparison_real_rows,
        sum(demo_rows) FILTER (WHERE in_comparison) AS comparison_demo_rows,
        count(*) FILTER (WHERE in_comparison) AS comparison_cells
    FROM cells
    WHERE in_period OR in_comparison
    GROUP BY area_code
)

SELECT
    a.area_code,
    a.display_name AS area_name,
    a.parent_code,
    coalesce(s.incident_count, 0) AS incident_count,
    coalesce(s.comparison_count, 0) AS comparison_count,
    p.inhabitants,
    coalesce(p.is_demo, false) AS population_is_demo,
    coalesce(s.is_demo, false) AS is_demo,
    coalesce(s.is_provisional, false) AS is_provisional,
    coalesce(s.real_rows, 0)::BIGINT AS real_rows,
    coalesce(s.demo_rows, 0)::BIGINT AS demo_rows,
    coalesce(s.cells, 0) AS cells,
    coalesce(e.buurten, 0) * (date_diff('month', $period_start::DATE, $period_end::DATE) + 1) AS expected_cells,
    coalesce(s.comparison_real_rows, 0)::BIGINT AS comparison_real_rows,
    coalesce(s.comparison_demo_rows, 0)::BIGINT AS comparison_demo_rows,
    coalesce(s.comparison_cells, 0) AS comparison_cells,
    coalesce(e.buurten, 0)
    * coalesce(date_diff('month', $comparison_start::DATE, $comparison_end::DATE) + 1, 0) AS comparison_expected_cells
FROM areas AS a
LEFT JOIN selected AS s ON a.area_code = s.area_code
LEFT JOIN expected AS e ON a.area_code = e.area_code
LEFT JOIN population AS p ON a.area_code = p.area_code AND p.year = year($period_end::DATE)
WHERE a.gemeente_code = $gemeente_code AND a.area_level = $area_level
ORDER BY a.area_code
