-- Counts per area of one level for a set of categories in a period and in a comparison
-- period, with inhabitants in the period's last year. Areas without incidents count 0.
WITH selected AS (
    SELECT
        i.area_code,
        sum(i.incident_count) FILTER (
            WHERE make_date(i.year, i.month, 1) BETWEEN $period_start AND $period_end
        ) AS incident_count,
        sum(i.incident_count) FILTER (
            WHERE make_date(i.year, i.month, 1) BETWEEN $comparison_start AND $comparison_end
        ) AS comparison_count,
        bool_or(i.is_demo) AS is_demo,
        bool_or(i.is_provisional) FILTER (
            WHERE make_date(i.year, i.month, 1) BETWEEN $period_start AND $period_end
        ) AS is_provisional
    FROM incidents_area_month AS i
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.area_level = $area_level
        AND list_contains($category_codes, i.category_code)
        -- only the years of the two periods: lets the view roll up far fewer rows
        AND i.year BETWEEN year(least($period_start, coalesce($comparison_start, $period_start)))
        AND year(greatest($period_end, coalesce($comparison_end, $period_end)))
    GROUP BY i.area_code
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
    coalesce(s.is_provisional, false) AS is_provisional
FROM areas AS a
LEFT JOIN selected AS s ON a.area_code = s.area_code
LEFT JOIN population AS p ON a.area_code = p.area_code AND p.year = year($period_end::DATE)
WHERE a.gemeente_code = $gemeente_code AND a.area_level = $area_level
ORDER BY a.area_code
