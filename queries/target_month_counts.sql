-- Monthly counts per category for areas of any level and for area groups (the sum of their
-- members), in a gemeente.
SELECT
    t.target_code,
    i.year,
    i.month,
    i.category_code,
    sum(i.incident_count)::BIGINT AS incident_count,
    bool_or(i.is_provisional) AS is_provisional,
    bool_or(i.is_demo) AS is_demo
FROM area_targets AS t
INNER JOIN incidents_area_month AS i ON t.area_code = i.area_code
WHERE
    t.gemeente_code = $gemeente_code
    AND list_contains($target_codes, t.target_code)
    AND i.gemeente_code = $gemeente_code
    AND list_contains($category_codes, i.category_code)
GROUP BY t.target_code, i.year, i.month, i.category_code
ORDER BY t.target_code, i.year, i.month, i.category_code
