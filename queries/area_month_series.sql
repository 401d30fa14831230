-- Monthly counts of one area for a set of categories.
SELECT
    make_date(year, month, 1) AS month_start,
    sum(incident_count) AS incident_count,
    bool_or(is_provisional) AS is_provisional,
    bool_or(is_demo) AS is_demo,
    sum(real_rows) AS real_rows,
    sum(demo_rows) AS demo_rows
FROM incidents_area_month
WHERE
    area_code = $area_code
    AND list_contains($category_codes, category_code)
GROUP BY month_start
ORDER BY month_start
