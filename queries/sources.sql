-- All sources with their attribution line.
SELECT
    source_id,
    title,
    publisher,
    published,
    licence,
    attribution,
    note
FROM sources
ORDER BY source_id
