-- Published tables comparing two years per category (e.g. 2019 vs 2021 in document 002): both
-- counts, the change as published and as computed from the counts.
WITH counts AS (
    SELECT
        gemeente_code,
        category_code,
        source_id,
        year(period_start) AS year,
        value,
        quote
    FROM published_figures
    WHERE kind = 'incident' AND gemeente_code = $gemeente_code
),

changes AS (
    SELECT
        gemeente_code,
        category_code,
        source_id,
        year(period_start) AS from_year,
        year(period_end) AS to_year,
        value AS published_change_pct,
        section,
        quote
    FROM published_figures
    WHERE kind = 'incident_change' AND gemeente_code = $gemeente_code
)

SELECT
    c.category_code,
    k.name AS category_name,
    k.kind AS category_kind,
    c.from_year,
    c.to_year,
    f.value AS from_count,
    t.value AS to_count,
    c.published_change_pct,
    round((t.value - f.value) * 100.0 / f.value, 1) AS computed_change_pct,
    s.title AS source_title,
    c.section,
    c.quote
FROM changes AS c
INNER JOIN counts AS f
    ON c.category_code = f.category_code AND c.source_id = f.source_id AND c.from_year = f.year
INNER JOIN counts AS t
    ON c.category_code = t.category_code AND c.source_id = t.source_id AND c.to_year = t.year
INNER JOIN incident_categories AS k ON c.category_code = k.category_code
INNER JOIN sources AS s ON c.source_id = s.source_id
ORDER BY k.kind DESC, k.sort_order ASC
