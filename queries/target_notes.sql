-- What the documents say about an area or area group: notes about it, about its wijk, and about
-- the groups it or its wijk belongs to; for a group also its members. For a gemeente: every note
-- about its wijken and groups.
WITH own AS (
    SELECT $target_code AS code
    UNION
    SELECT a.parent_code AS code
    FROM areas AS a
    WHERE a.area_code = $target_code AND a.area_level = 'buurt'
),

scope AS (
    SELECT o.code FROM own AS o
    UNION
    SELECT m.group_code AS code
    FROM area_group_members AS m
    INNER JOIN own AS o ON m.area_code = o.code
    UNION
    SELECT m.area_code AS code
    FROM area_group_members AS m
    WHERE m.group_code = $target_code
    UNION
    SELECT a.area_code AS code
    FROM areas AS a
    WHERE a.parent_code = $target_code AND a.area_level = 'wijk'
    UNION
    SELECT g.group_code AS code
    FROM area_groups AS g
    WHERE g.gemeente_code = $target_code
)

SELECT DISTINCT
    n.note_id,
    n.kind,
    n.note_date,
    n.date_note,
    n.text,
    n.section,
    s.title AS source_title
FROM area_notes AS n
INNER JOIN area_note_targets AS t ON n.note_id = t.note_id
INNER JOIN scope AS sc ON t.target_code = sc.code
INNER JOIN sources AS s ON n.source_id = s.source_id
ORDER BY n.kind, n.note_date NULLS LAST, n.note_id
