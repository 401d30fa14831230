-- Counts per area of one level and category in a period and in a comparison period, for every
-- pair with at least one incident in either: the candidates for "Wat valt op".
WITH counted AS (
    SELECT
        i.area_code,
        i.category_code,
        sum(i.incident_count) FILTER (
            WHERE make_date(i.year, i.month, 1) BETWEEN $period_start AND $period_end
        ) AS incident_count,
        sum(i.incident_count) FILTER (
            WHERE make_date(i.year, i.month, 1) BETWEEN $comparison_start AND $comparison_end
        ) AS comparison_count
    FROM incidents_area_month AS i
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.area_level = $area_level
        AND i.year BETWEEN year($comparison_start) AND year($period_end)
    GROUP BY i.area_code, i.category_code
)

SELECT
    c.area_code,
    a.display_name AS area_name,
    c.category_code,
    k.name AS category_name,
    coalesce(c.incident_count, 0)::BIGINT AS incident_count,
    coalesce(c.comparison_count, 0)::BIGINT AS comparison_count
FROM counted AS c
INNER JOIN areas AS a ON c.area_code = a.area_code
INNER JOIN incident_categories AS k ON c.category_code = k.category_code
WHERE coalesce(c.incident_count, 0) + coalesce(c.comparison_count, 0) > 0
ORDER BY c.area_code, c.category_code
