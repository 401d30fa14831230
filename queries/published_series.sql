-- Published whole-year city counts of a gemeente per category and year (real figures only).
SELECT
    f.category_code,
    k.name AS category_name,
    year(f.period_start) AS year,
    f.value AS incident_count,
    s.title AS source_title,
    s.attribution
FROM published_figures AS f
INNER JOIN incident_categories AS k ON f.category_code = k.category_code
INNER JOIN sources AS s ON f.source_id = s.source_id
WHERE
    f.gemeente_code = $gemeente_code
    AND f.kind = 'incident'
    AND year(f.period_start) = year(f.period_end)
    AND month(f.period_start) = 1
    AND month(f.period_end) = 12
ORDER BY k.sort_order, year
