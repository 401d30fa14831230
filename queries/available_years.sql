-- Years with monthly incident counts for a gemeente, newest first, with the share of months
-- present (a year is complete when all 12 are there) and the last month with data.
-- Read from the summary incident_months (one row per month), not from incident_counts itself.
SELECT
    year,
    count(*) AS months,
    max(month) AS last_month,
    bool_or(is_provisional) AS is_provisional
FROM incident_months
WHERE gemeente_code = $gemeente_code
GROUP BY year
ORDER BY year DESC
