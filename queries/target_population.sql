-- Inhabitants per year of areas of any level and of area groups (the sum of their members).
SELECT
    t.target_code,
    p.year,
    sum(p.inhabitants)::BIGINT AS inhabitants,
    bool_or(p.is_demo) AS is_demo
FROM area_targets AS t
INNER JOIN population AS p ON t.area_code = p.area_code
WHERE list_contains($target_codes, t.target_code)
GROUP BY t.target_code, p.year
ORDER BY t.target_code, p.year
