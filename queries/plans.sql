-- The plans of a gemeente, newest first, with their principles (uitgangspunten) as a list.
SELECT
    p.plan_id,
    p.title,
    p.motto,
    p.start_year,
    p.end_year,
    s.title AS source_title,
    coalesce(list(pp.name ORDER BY pp.sort_order) FILTER (WHERE pp.name IS NOT NULL), []) AS principles
FROM plans AS p
LEFT JOIN sources AS s ON p.source_id = s.source_id
LEFT JOIN plan_principles AS pp ON p.plan_id = pp.plan_id
WHERE p.gemeente_code = $gemeente_code
GROUP BY p.plan_id, p.title, p.motto, p.start_year, p.end_year, s.title
ORDER BY p.start_year DESC
