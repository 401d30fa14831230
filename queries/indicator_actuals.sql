-- Yearly actual values of every indicator of a plan, from the source each one names: incident
-- counts (the city figure, published where published, or the sum over an area or area group;
-- per 1,000 inhabitants where asked), the yearly sum of a measure type, survey results, or
-- values entered by hand. Incident years count only when all 12 months are there.
WITH indicator AS (
    SELECT
        i.indicator_id,
        i.actual_source,
        i.category_codes,
        i.theme_code,
        coalesce(i.target_code, $gemeente_code) AS target_code,
        i.incident_measure,
        i.measure_code,
        i.survey_question
    FROM indicators AS i
    INNER JOIN goals AS g ON i.goal_id = g.goal_id
    INNER JOIN priorities AS pr ON g.priority_code = pr.priority_code
    WHERE pr.plan_id = $plan_id
),

indicator_category AS (
    SELECT
        indicator_id,
        unnest(category_codes) AS category_code
    FROM indicator
    WHERE actual_source = 'incidents' AND category_codes IS NOT NULL
    UNION
    SELECT
        i.indicator_id,
        ct.category_code
    FROM indicator AS i
    INNER JOIN category_themes AS ct ON i.theme_code = ct.theme_code
    WHERE i.actual_source = 'incidents'
),

area_years AS (
    -- yearly sums per area, as incidents_area_month holds them by month: each stored row for its
    -- own area, and the buurt rows summed to their wijk and their gemeente (buurt_areas), from the
    -- yearly summary (the months with a row are the bits set in month_mask)
    SELECT
        coalesce(p.area_code, y.area_code) AS area_code,
        y.year,
        y.category_code,
        y.incident_count,
        y.demo_rows,
        y.is_provisional,
        y.month_mask
    FROM incident_count_years AS y
    LEFT JOIN buurt_areas AS p ON y.area_code = p.buurt_code  -- a buurt: itself, its wijk, its gemeente
    WHERE y.gemeente_code = $gemeente_code
),

counted AS (
    -- the whole gemeente: yearly city figures, in which a published figure wins
    SELECT
        c.indicator_id,
        y.year,
        sum(y.incident_count) AS incident_count,
        bool_or(y.is_demo) AS is_demo,
        bool_or(y.is_provisional) AS is_provisional,
        min(y.months) AS months
    FROM indicator_category AS c
    INNER JOIN indicator AS i ON c.indicator_id = i.indicator_id
    INNER JOIN incident_city_years AS y ON c.category_code = y.category_code
    WHERE i.target_code = $gemeente_code AND y.gemeente_code = $gemeente_code
    GROUP BY c.indicator_id, y.year
    UNION ALL
    -- an area or area group: the sum of its monthly counts
    SELECT
        c.indicator_id,
        m.year,
        sum(m.incident_count) AS incident_count,
        bool_or(m.demo_rows > 0) AS is_demo,
        bool_or(m.is_provisional) AS is_provisional,
        bit_count(bit_or(m.month_mask))::BIGINT AS months
    FROM indicator_category AS c
    INNER JOIN indicator AS i ON c.indicator_id = i.indicator_id
    INNER JOIN area_targets AS t ON i.target_code = t.target_code
    INNER JOIN area_years AS m ON t.area_code = m.area_code AND c.category_code = m.category_code
    WHERE i.target_code <> $gemeente_code
    GROUP BY c.indicator_id, m.year
),

inhabitants AS (
    SELECT
        i.indicator_id,
        p.year,
        sum(p.inhabitants) AS inhabitants
    FROM indicator AS i
    INNER JOIN area_targets AS t ON i.target_code = t.target_code
    INNER JOIN population AS p ON t.area_code = p.area_code
    WHERE i.incident_measure = 'per_1000'
    GROUP BY i.indicator_id, p.year
)

SELECT
    c.indicator_id,
    c.year,
    CASE
        WHEN i.incident_measure = 'per_1000' THEN c.incident_count * 1000.0 / p.inhabitants
        ELSE c.incident_count
    END AS value,
    c.incident_count,
    p.inhabitants,
    c.is_demo,
    c.is_provisional
FROM counted AS c
INNER JOIN indicator AS i ON c.indicator_id = i.indicator_id
LEFT JOIN inhabitants AS p ON c.indicator_id = p.indicator_id AND c.year = p.year
WHERE c.months = 12
UNION ALL
SELECT
    i.indicator_id,
    m.year,
    sum(m.value) AS value,
    NULL AS incident_count,
    NULL AS inhabitants,
    bool_or(m.is_demo) AS is_demo,
    FALSE AS is_provisional
FROM indicator AS i
INNER JOIN measures_city_year AS m ON i.measure_code = m.measure_code
WHERE i.actual_source = 'measures' AND m.gemeente_code = $gemeente_code
GROUP BY i.indicator_id, m.year
UNION ALL
SELECT
    i.indicator_id,
    s.year,
    s.value,
    NULL AS incident_count,
    NULL AS inhabitants,
    s.is_demo,
    FALSE AS is_provisional
FROM indicator AS i
INNER JOIN survey_results AS s ON i.survey_question = s.question AND i.target_code = s.area_code
WHERE i.actual_source = 'survey'
UNION ALL
SELECT
    i.indicator_id,
    v.year,
    v.value,
    NULL AS incident_count,
    NULL AS inhabitants,
    v.is_demo,
    FALSE AS is_provisional
FROM indicator AS i
INNER JOIN indicator_values AS v ON i.indicator_id = v.indicator_id
WHERE i.actual_source = 'manual'
ORDER BY indicator_id, year
