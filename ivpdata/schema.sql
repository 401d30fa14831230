-- Veiligheidsbeeld database schema. Tables are filled by `python -m ivpdata build`; the views at
-- the end are the documented public interface for analysts (README, "Querying the database").
-- Codes are CBS codes: gemeente GM0505, wijk WK050501, buurt BU05050101.

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    published VARCHAR,
    licence VARCHAR,
    attribution VARCHAR NOT NULL,
    url VARCHAR,
    note VARCHAR
);

CREATE TABLE municipalities (
    gemeente_code VARCHAR PRIMARY KEY CHECK (regexp_full_match(gemeente_code, 'GM[0-9]{4}')),
    name VARCHAR NOT NULL,
    boundary_year INTEGER NOT NULL,
    is_default BOOLEAN NOT NULL
);

-- Gemeente, wijk and buurt boundaries. Geometry as WKB (WGS84 lon/lat) so that any tool can read
-- it; DuckDB's spatial extension reads it with ST_GeomFromWKB.
CREATE TABLE areas (
    area_code VARCHAR PRIMARY KEY,
    area_level VARCHAR NOT NULL CHECK (area_level IN ('gemeente', 'wijk', 'buurt')),
    name VARCHAR NOT NULL, -- as CBS publishes it, e.g. 'Wijk 03 Oud Krispijn'
    display_name VARCHAR NOT NULL, -- for labels, e.g. 'Oud Krispijn'
    parent_code VARCHAR,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    boundary_year INTEGER NOT NULL,
    geometry_wkb BLOB NOT NULL,
    centroid_lon DOUBLE NOT NULL,
    centroid_lat DOUBLE NOT NULL,
    area_km2 DOUBLE NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id)
);

-- Full-precision boundaries (WKB, WGS84) of areas whose boundaries were imported
-- (ivpdata/importing/boundaries.py): areas.geometry_wkb is then simplified for display, and
-- incidents are placed in buurten with this one. Areas without a row here have one geometry.
CREATE TABLE area_exact_geometries (
    area_code VARCHAR PRIMARY KEY REFERENCES areas (area_code),
    geometry_wkb BLOB NOT NULL
);

-- Named sets of areas, such as Dordt-West.
CREATE TABLE area_groups (
    group_code VARCHAR PRIMARY KEY,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    name VARCHAR NOT NULL,
    source_id VARCHAR REFERENCES sources (source_id),
    note VARCHAR
);

CREATE TABLE area_group_members (
    group_code VARCHAR NOT NULL REFERENCES area_groups (group_code),
    area_code VARCHAR NOT NULL REFERENCES areas (area_code),
    PRIMARY KEY (group_code, area_code)
);

-- Inhabitants per area and year (1 January).
CREATE TABLE population (
    area_code VARCHAR NOT NULL REFERENCES areas (area_code),
    year INTEGER NOT NULL,
    inhabitants INTEGER NOT NULL CHECK (inhabitants >= 0),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_demo BOOLEAN NOT NULL,
    PRIMARY KEY (area_code, year)
);

CREATE TABLE themes (
    theme_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR
);

-- kind: totaal (CBS 0.0.0), misdrijf (CBS SoortMisdrijf), overlast (police nuisance
-- registrations), melding (other sources, such as Meld Misdaad Anoniem).
CREATE TABLE incident_categories (
    category_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('totaal', 'misdrijf', 'overlast', 'melding')),
    source_system VARCHAR NOT NULL,
    cbs_code VARCHAR,
    sort_order INTEGER NOT NULL
);

CREATE TABLE category_themes (
    category_code VARCHAR NOT NULL REFERENCES incident_categories (category_code),
    theme_code VARCHAR NOT NULL REFERENCES themes (theme_code),
    PRIMARY KEY (category_code, theme_code)
);

-- Monthly counts per area and category; stored at the most detailed level a source has (the
-- views roll buurten up to wijk and gemeente). source_id has no foreign key: DuckDB indexes a
-- foreign key and turns an update of an indexed column into a delete and insert in every index,
-- so real figures overwriting demo rows took 25 s per million rows instead of 3 s (measured,
-- tests/bench_import.py). Demo rows share their source with incident_events (which keeps the
-- key); the imports check theirs is in `sources` before writing (ivpdata/importing/police.py).
CREATE TABLE incident_counts (
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    area_code VARCHAR NOT NULL REFERENCES areas (area_code),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    category_code VARCHAR NOT NULL REFERENCES incident_categories (category_code),
    incident_count INTEGER NOT NULL CHECK (incident_count >= 0),
    source_id VARCHAR NOT NULL,
    is_provisional BOOLEAN NOT NULL,
    is_demo BOOLEAN NOT NULL,
    PRIMARY KEY (area_code, year, month, category_code)
);

-- The months with counts per gemeente: a summary of incident_counts that every page's first run
-- reads (the years in the sidebar) instead of scanning its half a million rows. Written with
-- incident_counts, in the same transaction: by the build and by every import of monthly counts
-- (ivpdata.db.summarise_months).
CREATE TABLE incident_months (
    gemeente_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    is_provisional BOOLEAN NOT NULL,
    PRIMARY KEY (gemeente_code, year, month)
);

-- The yearly sums of incident_counts per area and category: a summary that the public release
-- (queries/buurt_year_counts.sql), the city totals (incidents_city_year), a plan's actual values
-- (queries/indicator_actuals.sql) and the category choices (queries/category_options.sql) read
-- instead of the monthly rows, a twelfth of them. real_rows and demo_rows count the monthly rows behind a sum;
-- bit m - 1 of month_mask is set when month m has a row; is_provisional: any of them is; source_id:
-- the least of their sources. Written with incident_counts, in the same transaction
-- (ivpdata.db.summarise_months); one row per area, year and category by construction (GROUP BY).
CREATE TABLE incident_count_years (
    gemeente_code VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    category_code VARCHAR NOT NULL,
    incident_count BIGINT NOT NULL,
    real_rows INTEGER NOT NULL,
    demo_rows INTEGER NOT NULL,
    month_mask INTEGER NOT NULL,
    is_provisional BOOLEAN NOT NULL,
    source_id VARCHAR NOT NULL
);

-- The monthly sums of a gemeente's buurt rows per category: what the gemeente's trend (Trends,
-- Wijkprofiel's city line, the Driehoeksrapportage, Voor en na) reads instead of adding up its
-- buurten's half a million monthly rows on every first view (queries/target_month_counts.sql).
-- Columns as that query's: real_rows and demo_rows count the buurt rows behind a sum. A buurt's
-- level and gemeente never change (a boundary import changes names, parents and shapes), so the
-- sums depend on incident_counts alone. Written with incident_counts, in the same transaction
-- (ivpdata.db.summarise_months).
CREATE TABLE incident_gemeente_months (
    gemeente_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    category_code VARCHAR NOT NULL,
    incident_count BIGINT NOT NULL,
    is_provisional BOOLEAN NOT NULL,
    is_demo BOOLEAN NOT NULL,
    real_rows BIGINT NOT NULL,
    demo_rows BIGINT NOT NULL
);

-- Yearly counts per area and category from sources without monthly figures (police 47018NED);
-- never split into months. incidents_city_year uses them where no real monthly counts exist.
CREATE TABLE incident_counts_year (
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    area_code VARCHAR NOT NULL REFERENCES areas (area_code),
    year INTEGER NOT NULL,
    category_code VARCHAR NOT NULL REFERENCES incident_categories (category_code),
    incident_count INTEGER NOT NULL CHECK (incident_count >= 0),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_provisional BOOLEAN NOT NULL,
    is_demo BOOLEAN NOT NULL,
    PRIMARY KEY (area_code, year, category_code)
);

-- Single incidents with a place, for hotspot maps.
CREATE TABLE incident_events (
    event_id BIGINT PRIMARY KEY,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    occurred_at TIMESTAMP NOT NULL,
    category_code VARCHAR NOT NULL REFERENCES incident_categories (category_code),
    -- Place: imported events given only a buurt have no lon/lat/H3 (not drawn on the hotspot map).
    lon DOUBLE,
    lat DOUBLE,
    buurt_code VARCHAR REFERENCES areas (area_code),
    -- H3 cells of (lat, lon) at the resolutions the hotspot map offers, computed when the event
    -- is written (ivpdata.hotspots.RESOLUTIONS). Stored per resolution, not derived from one
    -- fine cell: H3 children do not tile their parent exactly (about 6% of points would land in
    -- a neighbouring hexagon), and a hexagon must count exactly the points it covers.
    h3_r8 UBIGINT,
    h3_r9 UBIGINT,
    h3_r10 UBIGINT,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_demo BOOLEAN NOT NULL
);

-- Every figure as published in a source document, with where it was published.
CREATE TABLE published_figures (
    figure_id VARCHAR PRIMARY KEY,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    section VARCHAR,
    label VARCHAR NOT NULL,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    qualifier VARCHAR,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('incident', 'incident_change', 'measure', 'survey', 'context', 'population')),
    category_code VARCHAR REFERENCES incident_categories (category_code),
    measure_code VARCHAR,
    priority_code VARCHAR,
    quote VARCHAR,
    CHECK (period_start <= period_end)
);

CREATE TABLE plans (
    plan_id VARCHAR PRIMARY KEY,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    title VARCHAR NOT NULL,
    motto VARCHAR,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    source_id VARCHAR REFERENCES sources (source_id),
    CHECK (start_year <= end_year)
);

-- Priorities (opgaven) of a plan and, with a parent, the themes under a priority.
CREATE TABLE priorities (
    priority_code VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL REFERENCES plans (plan_id),
    parent_code VARCHAR,
    name VARCHAR NOT NULL,
    description VARCHAR,
    sort_order INTEGER NOT NULL
);

-- What a document says about a particular area: residents' quotes and measures taken there.
CREATE TABLE area_notes (
    note_id VARCHAR PRIMARY KEY,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    section VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('citaat', 'maatregel')),
    title VARCHAR,  -- a measure's short name
    note_date DATE,  -- when a measure started, where the document says so
    date_note VARCHAR,  -- how exact that date is
    priority_code VARCHAR REFERENCES priorities (priority_code),  -- a measure's priority
    incident_focus VARCHAR,  -- the incidents a measure targets: a category, a theme or 'misdrijven'
    text VARCHAR NOT NULL,  -- verbatim
    is_demo BOOLEAN NOT NULL
);

-- The areas (area_code) or area groups (group_code) a note is about.
CREATE TABLE area_note_targets (
    note_id VARCHAR NOT NULL REFERENCES area_notes (note_id),
    target_code VARCHAR NOT NULL,
    PRIMARY KEY (note_id, target_code)
);

CREATE TABLE measure_types (
    measure_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    priority_code VARCHAR REFERENCES priorities (priority_code),
    description VARCHAR
);

-- A plan's principles (uitgangspunten), in the plan's order.
CREATE TABLE plan_principles (
    plan_id VARCHAR NOT NULL REFERENCES plans (plan_id),
    sort_order INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    text VARCHAR,
    PRIMARY KEY (plan_id, sort_order)
);

CREATE TABLE goals (
    goal_id VARCHAR PRIMARY KEY,
    priority_code VARCHAR NOT NULL REFERENCES priorities (priority_code),
    description VARCHAR NOT NULL,
    is_demo BOOLEAN NOT NULL
);

-- actual_source: incidents (category set or theme, area, count or per_1000), measures (the yearly
-- sum of a measure type), survey (a question) or manual (values in indicator_values).
CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY,
    goal_id VARCHAR NOT NULL REFERENCES goals (goal_id),
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL CHECK (direction IN ('lower', 'higher')),
    baseline_year INTEGER NOT NULL,
    baseline_value DOUBLE NOT NULL,
    target_year INTEGER NOT NULL,
    target_value DOUBLE NOT NULL,
    actual_source VARCHAR NOT NULL CHECK (actual_source IN ('incidents', 'measures', 'survey', 'manual')),
    category_codes VARCHAR[],
    theme_code VARCHAR REFERENCES themes (theme_code),
    target_code VARCHAR, -- an area or an area group (see the view area_targets)
    incident_measure VARCHAR CHECK (incident_measure IN ('count', 'per_1000')),
    measure_code VARCHAR REFERENCES measure_types (measure_code),
    survey_question VARCHAR,
    is_demo_target BOOLEAN NOT NULL,
    note VARCHAR,
    CHECK (baseline_year < target_year)
);

CREATE TABLE indicator_values (
    indicator_id VARCHAR NOT NULL REFERENCES indicators (indicator_id),
    year INTEGER NOT NULL,
    value DOUBLE NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_demo BOOLEAN NOT NULL,
    note VARCHAR, -- an imported value's bron and toelichting
    PRIMARY KEY (indicator_id, year)
);


-- Maatregelen: what was done, when, where (when known), how much.
CREATE TABLE measures (
    measure_id VARCHAR PRIMARY KEY,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    measure_code VARCHAR REFERENCES measure_types (measure_code),  -- none for a one-off result
    label VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    area_code VARCHAR REFERENCES areas (area_code),
    value DOUBLE,  -- none for a result without a figure ("an app was launched")
    unit VARCHAR,
    qualifier VARCHAR,
    priority_code VARCHAR REFERENCES priorities (priority_code),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    figure_id VARCHAR REFERENCES published_figures (figure_id),
    description VARCHAR,  -- the document's words
    is_demo BOOLEAN NOT NULL,
    CHECK (period_start <= period_end),
    CHECK ((value IS NULL) = (unit IS NULL))
);

CREATE TABLE survey_results (
    area_code VARCHAR NOT NULL REFERENCES areas (area_code),
    year INTEGER NOT NULL,
    question VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    respondents INTEGER,
    margin DOUBLE,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_demo BOOLEAN NOT NULL,
    PRIMARY KEY (area_code, year, question)
);

CREATE TABLE build_info (
    built_at TIMESTAMP NOT NULL,
    data_dir VARCHAR NOT NULL,
    source_fingerprint VARCHAR NOT NULL
);

-- Public views -----------------------------------------------------------------------------

-- What a trend or profile can be about: each area itself, and each area group as its members.
CREATE VIEW area_targets AS
SELECT
    area_code AS target_code,
    area_code,
    gemeente_code
FROM areas
UNION ALL
SELECT
    m.group_code AS target_code,
    m.area_code,
    g.gemeente_code
FROM area_group_members AS m
INNER JOIN area_groups AS g ON m.group_code = g.group_code;

-- Every buurt with the area it lies in at each level (itself, its wijk, its gemeente) and how many
-- buurten that area has: what an area's figure is summed from, and how many buurt rows a month
-- needs to be whole (a missing row is no zero: see queries/area_counts.sql).
CREATE VIEW buurt_areas AS
WITH placed AS (
    SELECT
        area_code AS buurt_code,
        'buurt' AS area_level,
        area_code,
        gemeente_code
    FROM areas WHERE area_level = 'buurt'
    UNION ALL
    SELECT
        area_code AS buurt_code,
        'wijk' AS area_level,
        parent_code AS area_code,
        gemeente_code
    FROM areas WHERE area_level = 'buurt'
    UNION ALL
    SELECT
        area_code AS buurt_code,
        'gemeente' AS area_level,
        gemeente_code AS area_code,
        gemeente_code
    FROM areas WHERE area_level = 'buurt'
)

SELECT
    buurt_code,
    area_level,
    area_code,
    gemeente_code,
    count(*) OVER (PARTITION BY area_level, area_code) AS buurten
FROM placed;

-- Monthly counts per area at every level: rows stored per buurt are summed to wijk and gemeente.
-- No CTE is read twice in these views: DuckDB materialises such a CTE for every gemeente before
-- a query's filter on one gemeente applies (measured at national scale: key_figures 2.4 s with a
-- shared CTE, 0.08 s without). The three branches here let a query for one level read only the
-- branch that produces it.
CREATE VIEW incidents_area_month AS
-- each stored row for its own area ...
SELECT
    c.gemeente_code,
    c.area_code,
    a.area_level,
    c.year,
    c.month,
    c.category_code,
    k.name AS category_name,
    c.incident_count,
    c.is_demo,
    c.is_provisional,
    (NOT c.is_demo)::INTEGER AS real_rows,
    c.is_demo::INTEGER AS demo_rows
FROM incident_counts AS c
INNER JOIN areas AS a ON c.area_code = a.area_code
INNER JOIN incident_categories AS k ON c.category_code = k.category_code
UNION ALL
-- ... and the buurt rows summed to their wijk ...
SELECT
    c.gemeente_code,
    a.parent_code AS area_code,
    'wijk' AS area_level,
    c.year,
    c.month,
    c.category_code,
    k.name AS category_name,
    sum(c.incident_count) AS incident_count,
    bool_or(c.is_demo) AS is_demo,
    bool_or(c.is_provisional) AS is_provisional,
    count(*) FILTER (WHERE NOT c.is_demo) AS real_rows,
    count(*) FILTER (WHERE c.is_demo) AS demo_rows
FROM incident_counts AS c
INNER JOIN areas AS a ON c.area_code = a.area_code
INNER JOIN incident_categories AS k ON c.category_code = k.category_code
WHERE a.area_level = 'buurt'
GROUP BY c.gemeente_code, a.parent_code, c.year, c.month, c.category_code, k.name
UNION ALL
-- ... and to their gemeente
SELECT
    c.gemeente_code,
    c.gemeente_code AS area_code,
    'gemeente' AS area_level,
    c.year,
    c.month,
    c.category_code,
    k.name AS category_name,
    sum(c.incident_count) AS incident_count,
    bool_or(c.is_demo) AS is_demo,
    bool_or(c.is_provisional) AS is_provisional,
    count(*) FILTER (WHERE NOT c.is_demo) AS real_rows,
    count(*) FILTER (WHERE c.is_demo) AS demo_rows
FROM incident_counts AS c
INNER JOIN areas AS a ON c.area_code = a.area_code
INNER JOIN incident_categories AS k ON c.category_code = k.category_code
WHERE a.area_level = 'buurt'
GROUP BY c.gemeente_code, c.gemeente_code, c.year, c.month, c.category_code, k.name;

-- Yearly city totals per category. Per gemeente, year and category the first of: a figure
-- published for the whole city and year; real (non-demo) monthly counts of the whole year; real
-- yearly counts (47018NED); real monthly counts of part of the year; monthly counts with demo
-- rows. Category 0.0.0 is the published total, or else, in years with counts, the sum of all
-- misdrijf categories (published or not).
CREATE VIEW incidents_city_year AS
WITH gemeente_buurten AS (
    SELECT
        gemeente_code,
        count(*) AS buurten
    FROM areas
    WHERE area_level = 'buurt'
    GROUP BY gemeente_code
),

candidates AS (
    -- the monthly buurt rows summed per year (the gemeente level of incidents_area_month), read
    -- from their yearly summary: the months with a row are the bits set in any buurt's month_mask ...
    SELECT
        c.gemeente_code,
        c.year,
        c.category_code,
        sum(c.incident_count) AS incident_count,
        bool_or(c.demo_rows > 0) AS is_demo,
        bool_or(c.is_provisional) AS is_provisional,
        bit_count(bit_or(c.month_mask))::BIGINT AS months,
        CASE WHEN bool_or(c.demo_rows > 0) THEN 'demo' ELSE min(c.source_id) END AS source_id,
        CASE WHEN bool_or(c.demo_rows > 0) THEN 5 WHEN bit_count(bit_or(c.month_mask)) = 12 THEN 2 ELSE 4 END
            AS precedence
    FROM incident_count_years AS c
    INNER JOIN areas AS a ON c.area_code = a.area_code
    LEFT JOIN gemeente_buurten AS g ON c.gemeente_code = g.gemeente_code
    WHERE a.area_level = 'buurt'
    GROUP BY c.gemeente_code, c.year, c.category_code, g.buurten
    -- real counts of part of the buurten are no city figure (demo rows beside them: a demo one)
    HAVING bool_or(c.demo_rows > 0) OR count(DISTINCT c.area_code) = coalesce(g.buurten, 0)
    UNION ALL
    -- ... the yearly buurt rows summed (never split into months) ...
    SELECT
        y.gemeente_code,
        y.year,
        y.category_code,
        sum(y.incident_count) AS incident_count,
        bool_or(y.is_demo) AS is_demo,
        bool_or(y.is_provisional) AS is_provisional,
        12 AS months,
        CASE WHEN bool_or(y.is_demo) THEN 'demo' ELSE min(y.source_id) END AS source_id,
        CASE WHEN bool_or(y.is_demo) THEN 6 ELSE 3 END AS precedence
    FROM incident_counts_year AS y
    INNER JOIN areas AS a ON y.area_code = a.area_code
    LEFT JOIN gemeente_buurten AS g ON y.gemeente_code = g.gemeente_code
    WHERE a.area_level = 'buurt'
    GROUP BY y.gemeente_code, y.year, y.category_code, g.buurten
    -- only a file with every buurt of the gemeente gives its yearly figure: two buurten are no city
    HAVING count(DISTINCT y.area_code) = coalesce(g.buurten, 0)
    UNION ALL
    -- ... and the figures published for a whole city and calendar year
    SELECT
        gemeente_code,
        year(period_start) AS year,
        category_code,
        value::BIGINT AS incident_count,
        false AS is_demo,
        false AS is_provisional,
        12 AS months,
        source_id,
        1 AS precedence
    FROM published_figures
    WHERE
        kind = 'incident'
        AND category_code IS NOT NULL
        AND year(period_start) = year(period_end)
        AND month(period_start) = 1 AND day(period_start) = 1
        AND month(period_end) = 12 AND day(period_end) = 31
),

ranked AS (
    SELECT
        c.*,
        k.kind,
        row_number() OVER (
            PARTITION BY c.gemeente_code, c.year, c.category_code ORDER BY c.precedence
        ) AS preference,
        bool_or(c.precedence > 1) OVER (PARTITION BY c.gemeente_code, c.year) AS year_has_counts,
        bool_or(c.precedence = 1 AND c.category_code = '0.0.0') OVER (
            PARTITION BY c.gemeente_code, c.year
        ) AS total_is_published
    FROM candidates AS c
    INNER JOIN incident_categories AS k ON c.category_code = k.category_code
),

with_totals AS (
    -- one row per category, plus per gemeente and year the sum of the misdrijf categories
    SELECT
        gemeente_code,
        year,
        coalesce(category_code, '0.0.0') AS category_code,
        grouping(category_code) = 1 AS is_computed_total,
        CASE WHEN grouping(category_code) = 0 THEN sum(incident_count)
            ELSE sum(incident_count) FILTER (WHERE kind = 'misdrijf') END AS incident_count,
        CASE WHEN grouping(category_code) = 0 THEN bool_or(is_demo)
            ELSE bool_or(is_demo) FILTER (WHERE kind = 'misdrijf') END AS is_demo,
        CASE WHEN grouping(category_code) = 0 THEN bool_or(is_provisional)
            ELSE bool_or(is_provisional) FILTER (WHERE kind = 'misdrijf') END AS is_provisional,
        CASE WHEN grouping(category_code) = 0 THEN min(months)
            ELSE min(months) FILTER (WHERE kind = 'misdrijf') END AS months,
        CASE WHEN grouping(category_code) = 0 THEN min(source_id)
            ELSE string_agg(DISTINCT source_id, ',' ORDER BY source_id) FILTER (WHERE kind = 'misdrijf')
        END AS source_id,
        bool_or(year_has_counts) AS year_has_counts,
        bool_or(total_is_published) AS total_is_published
    FROM ranked
    WHERE preference = 1
    GROUP BY GROUPING SETS ((gemeente_code, year, category_code), (gemeente_code, year))
)

SELECT
    t.gemeente_code,
    t.year,
    t.category_code,
    k.name AS category_name,
    t.incident_count,
    t.is_demo,
    t.is_provisional,
    t.months,
    t.source_id
FROM with_totals AS t
INNER JOIN incident_categories AS k ON t.category_code = k.category_code
WHERE
    NOT t.is_computed_total
    OR (t.year_has_counts AND NOT t.total_is_published AND t.incident_count IS NOT NULL);

-- The view above as stored: what the app reads (queries/key_figures.sql, indicator_actuals.sql:
-- 36 -> 13 ms and 38 -> 21 ms against the view). The same columns and types as the view; written
-- anew in every transaction that changes what the view reads: the build and every import
-- (ivpdata.db.summarise_city_years).
CREATE TABLE incident_city_years AS SELECT * FROM incidents_city_year LIMIT 0;

-- Measures summed per gemeente, calendar year and type; only measures whose period lies within
-- one calendar year (multi-year results such as "525 keer vanaf 2019" are in `measures`).
CREATE VIEW measures_city_year AS
SELECT
    m.gemeente_code,
    year(m.period_start) AS year,
    m.measure_code,
    t.name AS measure_name,
    sum(m.value) AS value,
    m.unit,
    m.priority_code,
    string_agg(DISTINCT s.title, '; ') AS source,
    string_agg(DISTINCT m.qualifier, '; ') AS qualifier,
    bool_or(m.is_demo) AS is_demo
FROM measures AS m
INNER JOIN measure_types AS t ON m.measure_code = t.measure_code
INNER JOIN sources AS s ON m.source_id = s.source_id
WHERE year(m.period_start) = year(m.period_end)
GROUP BY m.gemeente_code, year(m.period_start), m.measure_code, t.name, m.unit, m.priority_code;

-- Every import: when, which file (name, size, SHA-256), what kind, rows per outcome, by whom.
CREATE TABLE load_history (
    loaded_at TIMESTAMP NOT NULL,
    file_name VARCHAR NOT NULL,
    file_size BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    rows_new BIGINT NOT NULL,
    rows_replaced BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    rows_demo_replaced BIGINT NOT NULL,
    rows_skipped BIGINT NOT NULL,
    loaded_by VARCHAR NOT NULL
);

-- Saved presentations: named sequences of views ("dia's") stepped through in presentatiemodus.
-- The app writes them here and mirrors them to data/presentaties.yaml, from which a build restores them.
-- No UNIQUE/FOREIGN KEY/PRIMARY KEY here: DuckDB refuses updates of rows such keys touch; the module
-- ivpdata/presentations.py keeps ids and names unique (names case-insensitively) and positions 1..n.
CREATE TABLE presentations (
    presentation_id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One view of a presentation: a page (its URL path) and the query parameters that restore it.
CREATE TABLE presentation_slides (
    presentation_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    page VARCHAR NOT NULL,
    query VARCHAR NOT NULL,
    caption VARCHAR NOT NULL
);
