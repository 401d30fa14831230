-- Member boundaries of the area groups of a gemeente (e.g. Dordt-West), for an outline layer.
SELECT
    g.group_code,
    g.name AS group_name,
    a.geometry_wkb
FROM area_groups AS g
INNER JOIN area_group_members AS m ON g.group_code = m.group_code
INNER JOIN areas AS a ON m.area_code = a.area_code
WHERE g.gemeente_code = $gemeente_code
ORDER BY g.group_code, a.area_code
