-- Years with monthly incident counts for a gemeente, newest first, with the share of months
-- present (a year is complete when all 12 are there) and the last month with data.
SELECT
    year,
    count(DISTINCT month) AS months,
    max(month) AS last_month,
    bool_or(is_provisional) AS is_provisional
FROM incident_counts
WHERE gemeente_code = $gemeente_code
GROUP BY year
ORDER BY year DESC
