-- Incident events of a gemeente per H3 cell at $resolution (8, 9 or 10) for a set of categories
-- in a period (first day of the first month to the end of the last month); only cells with at
-- least $min_count events, with the totals over all cells. Each event carries its cell at
-- every resolution the map offers (h3_r8, h3_r9, h3_r10). Imported events given only a buurt
-- have no cell and are left out.
WITH selected AS (
    SELECT
        CASE $resolution
            WHEN 8 THEN e.h3_r8
            WHEN 9 THEN e.h3_r9
            WHEN 10 THEN e.h3_r10
        END AS cell
    FROM incident_events AS e
    WHERE
        e.gemeente_code = $gemeente_code
        AND e.h3_r8 IS NOT NULL
        AND list_contains($category_codes, e.category_code)
        AND e.occurred_at >= $period_start::DATE
        AND e.occurred_at < $period_end::DATE + INTERVAL 1 MONTH
),

per_cell AS (
    SELECT
        cell,
        count(*) AS event_count
    FROM selected
    GROUP BY cell
)

SELECT
    cell,
    event_count,
    sum(event_count) OVER ()::BIGINT AS total_events,
    count(*) OVER () AS total_cells
FROM per_cell
QUALIFY event_count >= $min_count
ORDER BY event_count DESC, cell ASC
