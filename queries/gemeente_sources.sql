-- The sources of one gemeente's data: every source that a row of its areas, area groups, counts,
-- events, published figures, plans, measures, population, survey, indicators or plan texts names.
-- Another gemeente's documents, and an import format nothing was loaded from, are not among them.
-- (The yearly summaries, such as incident_count_years, repeat the sources of the rows they sum.)
WITH gemeente_areas AS (
    SELECT a.area_code AS target_code
    FROM areas AS a
    WHERE a.gemeente_code = $gemeente_code
    UNION ALL
    SELECT g.group_code AS target_code
    FROM area_groups AS g
    WHERE g.gemeente_code = $gemeente_code
),

gemeente_priorities AS (
    SELECT pr.priority_code
    FROM priorities AS pr
    INNER JOIN plans AS pl ON pr.plan_id = pl.plan_id
    WHERE pl.gemeente_code = $gemeente_code
),

by_gemeente AS (
    SELECT t.source_id FROM areas AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM area_groups AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM incident_counts AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM incident_counts_year AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM incident_events AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM published_figures AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM plans AS t
    WHERE t.gemeente_code = $gemeente_code
    UNION
    SELECT t.source_id FROM measures AS t
    WHERE t.gemeente_code = $gemeente_code
),

by_area AS (
    SELECT p.source_id
    FROM population AS p
    WHERE p.area_code IN (SELECT ga.target_code FROM gemeente_areas AS ga)
    UNION
    SELECT s.source_id
    FROM survey_results AS s
    WHERE s.area_code IN (SELECT ga.target_code FROM gemeente_areas AS ga)
    UNION
    SELECT n.source_id
    FROM area_notes AS n
    INNER JOIN area_note_targets AS nt ON n.note_id = nt.note_id
    WHERE nt.target_code IN (SELECT ga.target_code FROM gemeente_areas AS ga)
),

by_plan AS (
    SELECT n.source_id
    FROM area_notes AS n
    WHERE n.priority_code IN (SELECT gp.priority_code FROM gemeente_priorities AS gp)
    UNION
    SELECT v.source_id
    FROM indicator_values AS v
    INNER JOIN indicators AS i ON v.indicator_id = i.indicator_id
    INNER JOIN goals AS g ON i.goal_id = g.goal_id
    WHERE g.priority_code IN (SELECT gp.priority_code FROM gemeente_priorities AS gp)
),

named AS (
    SELECT bg.source_id FROM by_gemeente AS bg
    UNION
    SELECT ba.source_id FROM by_area AS ba
    UNION
    SELECT bp.source_id FROM by_plan AS bp
)

SELECT
    s.source_id,
    s.title,
    s.publisher,
    s.published,
    s.licence,
    s.attribution,
    s.note
FROM sources AS s
WHERE s.source_id IN (SELECT n.source_id FROM named AS n)
ORDER BY s.source_id
