-- What a map or trend can show: all registered crime, each plan theme, and each category with
-- counts in the gemeente.
SELECT
    'alle' AS option_kind,
    'misdrijven' AS option_code,
    'Alle misdrijven' AS option_name,
    list(category_code ORDER BY sort_order) AS category_codes,
    0 AS sort_order
FROM incident_categories
WHERE kind = 'misdrijf'
UNION ALL
SELECT
    'thema' AS option_kind,
    t.theme_code AS option_code,
    t.name AS option_name,
    list(ct.category_code ORDER BY k.sort_order) AS category_codes,
    1 AS sort_order
FROM themes AS t
INNER JOIN category_themes AS ct ON t.theme_code = ct.theme_code
INNER JOIN incident_categories AS k ON ct.category_code = k.category_code
WHERE k.kind IN ('misdrijf', 'overlast')
GROUP BY t.theme_code, t.name
UNION ALL
SELECT
    'categorie' AS option_kind,
    k.category_code AS option_code,
    k.name AS option_name,
    [k.category_code] AS category_codes,
    2 + k.sort_order AS sort_order
FROM incident_categories AS k
WHERE
    k.kind IN ('misdrijf', 'overlast')
    AND EXISTS (
        SELECT 1 FROM incident_count_years AS c  -- the yearly summary: a twelfth of the monthly rows
        WHERE c.gemeente_code = $gemeente_code AND c.category_code = k.category_code
    )
ORDER BY sort_order, option_name
