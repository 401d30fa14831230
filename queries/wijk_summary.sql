-- Registered crime and overlast per wijk of a gemeente in a year, with inhabitants and rates.
WITH counts AS (
    SELECT
        i.area_code,
        sum(i.incident_count) FILTER (WHERE k.kind = 'misdrijf') AS crime_count,
        sum(i.incident_count) FILTER (WHERE k.kind = 'overlast') AS overlast_count,
        bool_or(i.is_demo) AS is_demo
    FROM incidents_area_month AS i
    INNER JOIN incident_categories AS k ON i.category_code = k.category_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.area_level = 'wijk'
        AND i.year = $year
    GROUP BY i.area_code
)

SELECT
    a.area_code,
    a.display_name AS wijk_name,
    p.inhabitants,
    c.crime_count,
    c.overlast_count,
    c.crime_count * 1000.0 / nullif(p.inhabitants, 0) AS crime_per_1000,
    c.is_demo OR coalesce(p.is_demo, true) AS is_demo
FROM areas AS a
LEFT JOIN counts AS c ON a.area_code = c.area_code
LEFT JOIN population AS p ON a.area_code = p.area_code AND p.year = $year
WHERE a.gemeente_code = $gemeente_code AND a.area_level = 'wijk'
ORDER BY a.area_code
