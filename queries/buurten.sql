-- Every buurt of a gemeente with its wijk: the areas a public release is made over
-- (disclosure.make_releases) and an area group's public members are found among.
SELECT
    area_code,
    parent_code
FROM areas
WHERE gemeente_code = $gemeente_code AND area_level = 'buurt'
ORDER BY area_code
