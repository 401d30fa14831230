-- Gemeenten served, the default first.
SELECT
    gemeente_code,
    name,
    is_default
FROM municipalities
ORDER BY is_default DESC, name ASC
