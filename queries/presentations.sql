-- Saved presentations, by name.
SELECT
    presentation_id,
    name,
    updated_at
FROM presentations
ORDER BY name ASC
