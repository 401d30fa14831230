-- The plans of a gemeente with their priorities (and themes under them), goals and indicators:
-- one row per indicator, or per priority without indicators.
SELECT
    p.plan_id,
    p.title AS plan_title,
    p.start_year,
    p.end_year,
    pr.priority_code,
    pr.name AS priority_name,
    pr.parent_code,
    pr.sort_order,
    g.goal_id,
    g.description AS goal,
    g.is_demo AS goal_is_demo,
    i.indicator_id,
    i.name AS indicator_name,
    i.unit,
    i.direction,
    i.baseline_year,
    i.baseline_value,
    i.target_year,
    i.target_value,
    i.actual_source,
    i.category_codes,
    i.theme_code,
    i.target_code,
    i.incident_measure,
    i.is_demo_target,
    i.note
FROM plans AS p
INNER JOIN priorities AS pr ON p.plan_id = pr.plan_id
-- the top-level priority of a theme, to keep themes under their priority in the plan's order
INNER JOIN priorities AS parent ON coalesce(pr.parent_code, pr.priority_code) = parent.priority_code
LEFT JOIN goals AS g ON pr.priority_code = g.priority_code
LEFT JOIN indicators AS i ON g.goal_id = i.goal_id
WHERE p.gemeente_code = $gemeente_code
ORDER BY
    p.start_year DESC,
    parent.sort_order ASC,
    pr.parent_code ASC NULLS FIRST,
    pr.sort_order ASC,
    g.goal_id ASC,
    i.indicator_id ASC
