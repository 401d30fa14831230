-- Every recorded measure result of a gemeente (what was done, when, how much if counted), with
-- its type (a one-off result is its own type), the priority and plan it serves and its source,
-- in plan and priority order.
SELECT
    m.measure_id,
    m.label,
    m.period_start,
    m.period_end,
    m.value,
    m.unit,
    m.qualifier,
    m.area_code,
    m.description,
    m.is_demo,
    m.measure_code,
    coalesce(t.name, m.label) AS type_name,
    p.priority_code,
    p.name AS priority_name,
    p.sort_order AS priority_order,
    pl.plan_id,
    pl.title AS plan_title,
    s.title AS source_title
FROM measures AS m
LEFT JOIN measure_types AS t ON m.measure_code = t.measure_code
LEFT JOIN priorities AS p ON coalesce(m.priority_code, t.priority_code) = p.priority_code
LEFT JOIN plans AS pl ON p.plan_id = pl.plan_id
INNER JOIN sources AS s ON m.source_id = s.source_id
WHERE m.gemeente_code = $gemeente_code
ORDER BY pl.start_year, p.sort_order, type_name, m.period_start, m.measure_id
