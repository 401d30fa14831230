-- Code, level and display name of every area of a gemeente (to name areas in import reports).
SELECT
    area_code,
    area_level,
    display_name
FROM areas
WHERE gemeente_code = $gemeente_code OR $gemeente_code IS NULL
ORDER BY area_code
