-- The slides of every presentation, in their order.
SELECT
    presentation_id,
    position,
    page,
    query,
    caption
FROM presentation_slides
ORDER BY presentation_id ASC, position ASC
