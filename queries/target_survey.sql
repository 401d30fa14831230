-- Resident survey results for an area or area group, newest first.
SELECT
    s.year,
    s.question,
    s.value,
    s.unit,
    s.respondents,
    s.margin,
    s.is_demo,
    src.title AS source_title
FROM survey_results AS s
INNER JOIN sources AS src ON s.source_id = src.source_id
WHERE s.area_code = $target_code
ORDER BY s.year DESC, s.question ASC
