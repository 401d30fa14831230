-- Monthly counts per category for areas of any level and for area groups (the sum of their
-- members' buurten), in a gemeente, read from the stored buurt rows. real_rows and demo_rows count
-- the buurt rows behind a figure (a figure of both is mixed); buurten is how many buurten the
-- target has, so a month with fewer rows than buurten is not fully covered (a missing row is not 0).
-- The gemeente itself is read from its monthly summary (incident_gemeente_months: the same sums
-- of its buurt rows, a hundredth of the rows to read), every other target from its buurten.
WITH target_buurten AS (
    SELECT DISTINCT
        t.target_code,
        b.area_code
    FROM area_targets AS t
    INNER JOIN areas AS b
        ON b.area_level = 'buurt' AND t.area_code IN (b.area_code, b.parent_code, b.gemeente_code)
    WHERE
        t.gemeente_code = $gemeente_code
        AND list_contains($target_codes, t.target_code)
        AND t.target_code <> $gemeente_code
        AND b.gemeente_code = $gemeente_code
),

expected AS (
    SELECT
        target_code,
        count(*) AS buurten
    FROM target_buurten
    GROUP BY target_code
),

summed_from_buurten AS (
    SELECT
        t.target_code,
        i.year,
        i.month,
        i.category_code,
        sum(i.incident_count)::BIGINT AS incident_count,
        bool_or(i.is_provisional) AS is_provisional,
        bool_or(i.is_demo) AS is_demo,
        count(*) FILTER (WHERE NOT i.is_demo) AS real_rows,
        count(*) FILTER (WHERE i.is_demo) AS demo_rows,
        any_value(e.buurten) AS buurten
    FROM target_buurten AS t
    INNER JOIN incident_counts AS i ON t.area_code = i.area_code
    INNER JOIN expected AS e ON t.target_code = e.target_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND list_contains($category_codes, i.category_code)
    GROUP BY t.target_code, i.year, i.month, i.category_code
),

gemeente_buurten AS (
    SELECT count(*) AS buurten
    FROM areas
    WHERE area_level = 'buurt' AND gemeente_code = $gemeente_code
),

read_from_summary AS (
    SELECT
        s.gemeente_code AS target_code,
        s.year,
        s.month,
        s.category_code,
        s.incident_count,
        s.is_provisional,
        s.is_demo,
        s.real_rows,
        s.demo_rows,
        g.buurten
    FROM incident_gemeente_months AS s
    CROSS JOIN gemeente_buurten AS g
    WHERE
        s.gemeente_code = $gemeente_code
        AND list_contains($target_codes, $gemeente_code)
        AND list_contains($category_codes, s.category_code)
        AND EXISTS (
            SELECT 1 FROM areas AS a
            WHERE a.area_code = $gemeente_code
        )
)

SELECT * FROM summed_from_buurten
UNION ALL
SELECT * FROM read_from_summary
ORDER BY target_code, year, month, category_code
