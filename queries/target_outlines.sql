-- The buurten that make up areas and area groups, for an outline drawn over a buurt map: the
-- union of buurt boundaries lines up with the buurten drawn, a generalised wijk boundary does not.
SELECT
    t.target_code,
    a.geometry_wkb
FROM area_targets AS t
INNER JOIN areas AS a
    ON (t.area_code = a.area_code OR t.area_code = a.parent_code) AND a.area_level = 'buurt'
WHERE t.gemeente_code = $gemeente_code AND list_contains($target_codes, t.target_code)
ORDER BY t.target_code, a.area_code
