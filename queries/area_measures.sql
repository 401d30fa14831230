-- Measures taken in a known area or area group of a gemeente: those the documents describe
-- (area notes) and recorded measure results with an area. One row per measure and target area,
-- with the incidents it aims at where known.
WITH targets AS (
    SELECT
        a.area_code AS target_code,
        a.display_name AS target_name,
        a.area_level AS target_level
    FROM areas AS a
    WHERE a.gemeente_code = $gemeente_code AND a.area_level <> 'gemeente'
    UNION ALL
    SELECT
        g.group_code AS target_code,
        g.name AS target_name,
        'groep' AS target_level
    FROM area_groups AS g
    WHERE g.gemeente_code = $gemeente_code
),

described AS (
    SELECT
        n.note_id AS measure_id,
        n.title AS label,
        n.text AS description,
        n.note_date AS start_date,
        n.date_note,
        n.priority_code,
        n.incident_focus,
        n.is_demo,
        n.source_id,
        nt.target_code
    FROM area_notes AS n
    INNER JOIN area_note_targets AS nt ON n.note_id = nt.note_id
    WHERE n.kind = 'maatregel'
),

recorded AS (
    SELECT
        m.measure_id,
        m.label,
        coalesce(m.description, t.name) AS description,
        m.period_start AS start_date,
        NULL AS date_note,
        coalesce(m.priority_code, t.priority_code) AS priority_code,
        NULL AS incident_focus,
        m.is_demo,
        m.source_id,
        m.area_code AS target_code
    FROM measures AS m
    LEFT JOIN measure_types AS t ON m.measure_code = t.measure_code
    WHERE m.gemeente_code = $gemeente_code AND m.area_code IS NOT NULL
),

both_kinds AS (
    SELECT * FROM described
    UNION ALL
    SELECT * FROM recorded
)

SELECT
    x.measure_id || ':' || x.target_code AS choice_id,
    x.measure_id,
    x.label,
    x.description,
    x.start_date,
    x.date_note,
    x.incident_focus,
    x.is_demo,
    x.target_code,
    tg.target_name,
    tg.target_level,
    p.name AS priority_name,
    s.title AS source_title
FROM both_kinds AS x
INNER JOIN targets AS tg ON x.target_code = tg.target_code
LEFT JOIN priorities AS p ON x.priority_code = p.priority_code
INNER JOIN sources AS s ON x.source_id = s.source_id
ORDER BY x.is_demo, x.start_date NULLS LAST, x.measure_id, x.target_code
