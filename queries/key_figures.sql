-- The Overzicht key figures of a gemeente for a year and the year before: registered crime,
-- high impact crime and overlast, with inhabitants for rates per 1,000.
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
    INNER JOIN incidents_city_year AS i ON f.category_code = i.category_code
    WHERE
        i.gemeente_code = $gemeente_code
        AND i.year IN ($year, $year - 1)
    GROUP BY f.figure, i.year
),

figures AS (
    SELECT DISTINCT figure FROM figure_categories
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
    pop.source_id AS population_source_id
FROM figures AS f
LEFT JOIN yearly AS cur ON f.figure = cur.figure AND cur.year = $year
LEFT JOIN yearly AS prev ON f.figure = prev.figure AND prev.year = $year - 1
LEFT JOIN population AS pop ON pop.area_code = $gemeente_code AND pop.year = $year
LEFT JOIN population AS prev_pop ON prev_pop.area_code = $gemeente_code AND prev_pop.year = $year - 1
ORDER BY CASE f.figure WHEN 'totaal' THEN 1 WHEN 'hic' THEN 2 ELSE 3 END
