-- Registered crime and overlast per wijk of a gemeente in a year, with inhabitants and rates, read
-- from the stored buurt rows: real_rows and demo_rows tell a wijk of demo data, of real data or of
-- both apart; cells (buurt-months with a row) of expected_cells say how much of the year is covered.
WITH buurten AS (
    SELECT
        area_code,
        parent_code
    FROM areas
    WHERE gemeente_code = $gemeente_code AND area_level = 'buurt'
),

expected AS (
    SELECT
        parent_code AS area_code,
        count(*) * 12 AS expected_cells
    FROM buurten
    GROUP BY parent_code
),

counts AS (
    SELECT
        b.parent_code AS area_code,
        sum(i.incident_count) FILTER (WHERE k.kind = 'misdrijf') AS crime_count,
        sum(i.incident_count) FILTER (WHERE k.kind = 'overlast') AS overlast_count,
        bool_or(i.is_demo) AS is_demo,
        count(*) FILTER (WHERE NOT i.is_demo) AS real_rows,
        count(*) FILTER (WHERE i.is_demo) AS demo_rows,
        count(DISTINCT concat_ws(':', i.area_code, i.month)) AS cells
    FROM incident_counts AS i
    INNER JOIN buurten AS b ON i.area_code = b.area_code
    INNER JOIN incident_categories AS k ON i.category_code = k.category_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.year = $year
    GROUP BY b.parent_code
)

SELECT
    a.area_code,
    a.display_name AS wijk_name,
    p.inhabitants,
    c.crime_count,
    c.overlast_count,
    c.crime_count * 1000.0 / nullif(p.inhabitants, 0) AS crime_per_1000,
    c.is_demo OR coalesce(p.is_demo, true) AS is_demo,
    coalesce(c.real_rows, 0) AS real_rows,
    coalesce(c.demo_rows, 0) AS demo_rows,
    coalesce(c.cells, 0) AS cells,
    coalesce(e.expected_cells, 0) AS expected_cells
FROM areas AS a
LEFT JOIN counts AS c ON a.area_code = c.area_code
LEFT JOIN expected AS e ON a.area_code = e.area_code
LEFT JOIN population AS p ON a.area_code = p.area_code AND p.year = $year
WHERE a.gemeente_code = $gemeente_code AND a.area_level = 'wijk'
ORDER BY a.area_code
