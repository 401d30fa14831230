-- What the documents and the recorded measures say about an area or area group: notes about it,
-- about its wijk and about the groups it or its wijk belongs to, for a wijk also its buurten, for
-- a group also its members and the buurten of member wijken. For a gemeente: every note about its
-- wijken and groups. Recorded measures with an area (the measure template, table measures) count
-- as 'maatregel' notes: text is their label, section their description (or their type's name),
-- note_date their first day. Only they have period_end, amount and unit.
WITH own AS (
    SELECT $target_code AS code
    UNION
    SELECT a.parent_code AS code
    FROM areas AS a
    WHERE a.area_code = $target_code AND a.area_level = 'buurt'
),

members AS (
    SELECT m.area_code AS code
    FROM area_group_members AS m
    WHERE m.group_code = $target_code
),

scope AS (
    SELECT o.code FROM own AS o
    UNION
    SELECT m.group_code AS code
    FROM area_group_members AS m
    INNER JOIN own AS o ON m.area_code = o.code
    UNION
    SELECT mb.code FROM members AS mb
    UNION
    SELECT a.area_code AS code
    FROM areas AS a
    INNER JOIN members AS mb ON a.parent_code = mb.code
    WHERE a.area_level = 'buurt'
    UNION
    SELECT a.area_code AS code
    FROM areas AS a
    WHERE a.parent_code = $target_code  -- a gemeente's wijken and a wijk's buurten
    UNION
    SELECT g.group_code AS code
    FROM area_groups AS g
    WHERE g.gemeente_code = $target_code
),

documented AS (
    SELECT DISTINCT
        n.note_id,
        n.kind,
        n.note_date,
        n.date_note,
        n.text,
        n.section,
        s.title AS source_title,
        NULL::DATE AS period_end,
        NULL::DOUBLE AS amount,
        NULL::VARCHAR AS unit
    FROM area_notes AS n
    INNER JOIN area_note_targets AS t ON n.note_id = t.note_id
    INNER JOIN scope AS sc ON t.target_code = sc.code
    INNER JOIN sources AS s ON n.source_id = s.source_id
),

recorded AS (
    SELECT
        m.measure_id AS note_id,
        'maatregel' AS kind,
        m.period_start AS note_date,
        NULL::VARCHAR AS date_note,
        m.label AS text,
        coalesce(m.description, mt.name) AS section,
        s.title AS source_title,
        m.period_end,
        m.value AS amount,
        m.unit
    FROM measures AS m
    INNER JOIN scope AS sc ON m.area_code = sc.code
    INNER JOIN sources AS s ON m.source_id = s.source_id
    LEFT JOIN measure_types AS mt ON m.measure_code = mt.measure_code
)

SELECT * FROM documented
UNION ALL
SELECT * FROM recorded
ORDER BY kind, note_date NULLS LAST, note_id
