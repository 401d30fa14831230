-- Everything a trend or profile can be about in a gemeente: the gemeente, its area groups, its
-- wijken and its buurten (with their wijk), in that order.
WITH targets AS (
    SELECT
        a.area_code AS target_code,
        a.display_name AS target_name,
        a.area_level AS target_level,
        p.display_name AS parent_name
    FROM areas AS a
    LEFT JOIN areas AS p ON a.parent_code = p.area_code
    WHERE a.gemeente_code = $gemeente_code
    UNION ALL
    SELECT
        g.group_code AS target_code,
        g.name AS target_name,
        'groep' AS target_level,
        NULL AS parent_name
    FROM area_groups AS g
    WHERE g.gemeente_code = $gemeente_code
)

SELECT
    target_code,
    target_name,
    target_level,
    parent_name
FROM targets
ORDER BY
    CASE target_level WHEN 'gemeente' THEN 0 WHEN 'groep' THEN 1 WHEN 'wijk' THEN 2 ELSE 3 END,
    target_code
