-- Boundaries of the areas of one level of a gemeente (WKB, WGS84).
SELECT
    area_code,
    display_name AS area_name,
    geometry_wkb
FROM areas
WHERE gemeente_code = $gemeente_code AND area_level = $area_level
ORDER BY area_code
