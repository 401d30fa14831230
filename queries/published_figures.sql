-- Every published figure of a gemeente with its source, newest period first.
SELECT
    f.figure_id,
    f.kind,
    f.label,
    f.value,
    f.unit,
    f.qualifier,
    f.period_start,
    f.period_end,
    f.section,
    f.quote,
    f.category_code,
    f.measure_code,
    p.name AS priority_name,
    s.source_id,
    s.title AS source_title,
    s.attribution
FROM published_figures AS f
INNER JOIN sources AS s ON f.source_id = s.source_id
LEFT JOIN priorities AS p ON f.priority_code = p.priority_code
WHERE f.gemeente_code = $gemeente_code
ORDER BY f.source_id ASC, f.period_start DESC, f.figure_id ASC
