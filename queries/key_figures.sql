-- The Overzicht key figures of a gemeente for a year and the year before: registered crime,
-- high impact crime and overlast, with inhabitants for rates per 1,000. Per year, the stored
-- monthly buurt rows behind a figure (real_rows, demo_rows) and the buurt-months they cover (cells,
-- of expected_cells) tell a figure of demo data, of real data or of both apart.
WITH figure_categories AS (
    SELECT
        'totaal' AS figure,
        category_code
    FROM incident_categories
    WHERE kind = 'totaal'
    UNION ALL
    SELECT
        'hic' AS figure,
        category_code
    FROM category_themes
    WHERE theme_code = 'hic'
    UNION ALL
    SELECT
        'overlast' AS figure,
        category_code
    FROM incident_categories
    WHERE kind = 'overlast'
),

yearly AS (
    SELECT
        f.figure,
        i.year,
        sum(i.incident_count) AS incident_count,
        bool_or(i.is_demo) AS is_demo,
        bool_or(i.is_provisional) AS is_provisional,
        string_agg(DISTINCT i.source_id, ',' ORDER BY i.source_id) AS source_ids
    FROM figure_categories AS f
    INNER JOIN incident_city_years AS i ON f.category_code = i.category_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.year IN ($year, $year - 1)
    GROUP BY f.figure, i.year
),

figures AS (
    SELECT DISTINCT figure FROM figure_categories
),

-- the stored categories behind each figure: the total is the sum of the misdrijf categories
row_categories AS (
    SELECT
        'totaal' AS figure,
        category_code
    FROM incident_categories
    WHERE kind = 'misdrijf'
    UNION ALL
    SELECT * FROM figure_categories
    WHERE figure <> 'totaal'
),

buurten AS (
    SELECT count(*) AS buurten
    FROM areas
    WHERE gemeente_code = $gemeente_code AND area_level = 'buurt'
),

stored_buurten AS (
    -- per buurt from the yearly summary of the monthly rows (a twelfth of them): the months with
    -- a row of any of the figure's categories are the bits set in any of their month_masks
    SELECT
        f.figure,
        y.year,
        y.area_code,
        sum(y.real_rows) AS real_rows,
        sum(y.demo_rows) AS demo_rows,
        bit_count(bit_or(y.month_mask)) AS months
    FROM row_categories AS f
    INNER JOIN incident_count_years AS y ON f.category_code = y.category_code
    WHERE
        y.gemeente_code = $gemeente_code
        AND y.year IN ($year, $year - 1)
    GROUP BY f.figure, y.year, y.area_code
),

stored AS (
    SELECT
        figure,
        year,
        sum(real_rows)::BIGINT AS real_rows,
        sum(demo_rows)::BIGINT AS demo_rows,
        sum(months)::BIGINT AS cells
    FROM stored_buurten
    GROUP BY figure, year
)

SELECT
    f.figure,
    cur.incident_count,
    prev.incident_count AS previous_count,
    pop.inhabitants,
    prev_pop.inhabitants AS previous_inhabitants,
    cur.incident_count * 1000.0 / pop.inhabitants AS per_1000,
    prev.incident_count * 1000.0 / prev_pop.inhabitants AS previous_per_1000,
    coalesce(cur.is_demo, false) OR coalesce(prev.is_demo, false) AS is_demo,
    coalesce(cur.is_provisional, false) AS is_provisional,
    cur.source_ids,
    prev.source_ids AS previous_source_ids,
    pop.is_demo AS population_is_demo,
    pop.source_id AS population_source_id,
    coalesce(cur.is_demo, false) AS current_is_demo,
    coalesce(prev.is_demo, false) AS previous_is_demo,
    coalesce(sc.real_rows, 0) AS real_rows,
    coalesce(sc.demo_rows, 0) AS demo_rows,
    coalesce(sc.cells, 0) AS cells,
    coalesce(sp.real_rows, 0) AS previous_real_rows,
    coalesce(sp.demo_rows, 0) AS previous_demo_rows,
    coalesce(sp.cells, 0) AS previous_cells,
    b.buurten * 12 AS expected_cells
FROM figures AS f
CROSS JOIN buurten AS b
LEFT JOIN stored AS sc ON f.figure = sc.figure AND sc.year = $year
LEFT JOIN stored AS sp ON f.figure = sp.figure AND sp.year = $year - 1
LEFT JOIN yearly AS cur ON f.figure = cur.figure AND cur.year = $year
LEFT JOIN yearly AS prev ON f.figure = prev.figure AND prev.year = $year - 1
LEFT JOIN population AS pop ON pop.area_code = $gemeente_code AND pop.year = $year
LEFT JOIN population AS prev_pop ON prev_pop.area_code = $gemeente_code AND prev_pop.year = $year - 1
ORDER BY CASE f.figure WHEN 'totaal' THEN 1 WHEN 'hic' THEN 2 ELSE 3 END
