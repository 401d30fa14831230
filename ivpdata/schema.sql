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
-- views roll buurten up to wijk and gemeente).
CREATE TABLE incident_counts (
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    area_code VARCHAR NOT NULL REFERENCES areas (area_code),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    category_code VARCHAR NOT NULL REFERENCES incident_categories (category_code),
    incident_count INTEGER NOT NULL CHECK (incident_count >= 0),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_provisional BOOLEAN NOT NULL,
    is_demo BOOLEAN NOT NULL,
    PRIMARY KEY (area_code, year, month, category_code)
);

-- Single incidents with a place, for hotspot maps.
CREATE TABLE incident_events (
    event_id BIGINT PRIMARY KEY,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    occurred_at TIMESTAMP NOT NULL,
    category_code VARCHAR NOT NULL REFERENCES incident_categories (category_code),
    lon DOUBLE NOT NULL,
    lat DOUBLE NOT NULL,
    buurt_code VARCHAR REFERENCES areas (area_code),
    -- H3 cells of (lat, lon) at the resolutions the hotspot map offers, computed when the event
    -- is written (ivpdata.hotspots.RESOLUTIONS). Stored per resolution, not derived from one
    -- fine cell: H3 children do not tile their parent exactly (about 6% of points would land in
    -- a neighbouring hexagon), and a hexagon must count exactly the points it covers.
    h3_r8 UBIGINT NOT NULL,
    h3_r9 UBIGINT NOT NULL,
    h3_r10 UBIGINT NOT NULL,
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

CREATE TABLE priorities (
    priority_code VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL REFERENCES plans (plan_id),
    name VARCHAR NOT NULL,
    description VARCHAR,
    sort_order INTEGER NOT NULL
);

CREATE TABLE goals (
    goal_id VARCHAR PRIMARY KEY,
    priority_code VARCHAR NOT NULL REFERENCES priorities (priority_code),
    description VARCHAR NOT NULL,
    is_demo BOOLEAN NOT NULL
);

-- actual_source: incidents (category set and area), measures, survey or manual.
CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY,
    goal_id VARCHAR NOT NULL REFERENCES goals (goal_id),
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL CHECK (direction IN ('lower', 'higher')),
    baseline_year INTEGER,
    baseline_value DOUBLE,
    target_year INTEGER,
    target_value DOUBLE,
    actual_source VARCHAR NOT NULL CHECK (actual_source IN ('incidents', 'measures', 'survey', 'manual')),
    category_codes VARCHAR[],
    area_code VARCHAR REFERENCES areas (area_code),
    measure_code VARCHAR,
    is_demo_target BOOLEAN NOT NULL
);

CREATE TABLE indicator_values (
    indicator_id VARCHAR NOT NULL REFERENCES indicators (indicator_id),
    year INTEGER NOT NULL,
    value DOUBLE NOT NULL,
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    is_demo BOOLEAN NOT NULL,
    PRIMARY KEY (indicator_id, year)
);

CREATE TABLE measure_types (
    measure_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    priority_code VARCHAR REFERENCES priorities (priority_code),
    description VARCHAR
);

-- Maatregelen: what was done, when, where (when known), how much.
CREATE TABLE measures (
    measure_id VARCHAR PRIMARY KEY,
    gemeente_code VARCHAR NOT NULL REFERENCES municipalities (gemeente_code),
    measure_code VARCHAR NOT NULL REFERENCES measure_types (measure_code),
    label VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    area_code VARCHAR REFERENCES areas (area_code),
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    qualifier VARCHAR,
    priority_code VARCHAR REFERENCES priorities (priority_code),
    source_id VARCHAR NOT NULL REFERENCES sources (source_id),
    figure_id VARCHAR REFERENCES published_figures (figure_id),
    is_demo BOOLEAN NOT NULL,
    CHECK (period_start <= period_end)
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

-- Monthly counts per area at every level: rows stored per buurt are summed to wijk and gemeente.
CREATE VIEW incidents_area_month AS
WITH stored AS (
    SELECT
        c.gemeente_code,
        c.area_code,
        a.area_level,
        a.parent_code,
        c.year,
        c.month,
        c.category_code,
        c.incident_count,
        c.is_demo,
        c.is_provisional
    FROM incident_counts AS c
    INNER JOIN areas AS a ON c.area_code = a.area_code
),

rollup AS (
    -- every buurt row counted once for its wijk and once for its gemeente
    SELECT
        s.gemeente_code,
        CASE l.area_level WHEN 'wijk' THEN s.parent_code ELSE s.gemeente_code END AS area_code,
        l.area_level,
        s.year,
        s.month,
        s.category_code,
        sum(s.incident_count) AS incident_count,
        bool_or(s.is_demo) AS is_demo,
        bool_or(s.is_provisional) AS is_provisional
    FROM stored AS s
    CROSS JOIN (VALUES ('wijk'), ('gemeente')) AS l (area_level)
    WHERE s.area_level = 'buurt'
    GROUP BY ALL
),

all_levels AS (
    SELECT
        gemeente_code, area_code, area_level, year, month, category_code,
        incident_count, is_demo, is_provisional
    FROM stored
    UNION ALL
    SELECT * FROM rollup
)

SELECT
    l.gemeente_code,
    l.area_code,
    l.area_level,
    l.year,
    l.month,
    l.category_code,
    k.name AS category_name,
    l.incident_count,
    l.is_demo,
    l.is_provisional
FROM all_levels AS l
INNER JOIN incident_categories AS k ON l.category_code = k.category_code;

-- Yearly city totals per category. A figure published for the whole city and year (is_demo
-- false) takes precedence over the sum of monthly counts. Category 0.0.0 is the published total,
-- or else, in years with monthly counts, the sum of all misdrijf categories (published or not).
CREATE VIEW incidents_city_year AS
WITH monthly AS (
    -- the buurt rows summed directly: the same as the gemeente level of incidents_area_month
    SELECT
        c.gemeente_code,
        c.year,
        c.category_code,
        sum(c.incident_count) AS incident_count,
        bool_or(c.is_demo) AS is_demo,
        bool_or(c.is_provisional) AS is_provisional,
        count(DISTINCT c.month) AS months
    FROM incident_counts AS c
    INNER JOIN areas AS a ON c.area_code = a.area_code
    WHERE a.area_level = 'buurt'
    GROUP BY c.gemeente_code, c.year, c.category_code
),

published AS (
    SELECT
        gemeente_code,
        year(period_start) AS year,
        category_code,
        value::BIGINT AS incident_count,
        false AS is_demo,
        false AS is_provisional,
        12 AS months,
        source_id
    FROM published_figures
    WHERE
        kind = 'incident'
        AND category_code IS NOT NULL
        AND year(period_start) = year(period_end)
        AND month(period_start) = 1 AND day(period_start) = 1
        AND month(period_end) = 12 AND day(period_end) = 31
),

per_category AS (
    SELECT * FROM published
    UNION ALL
    SELECT
        m.gemeente_code, m.year, m.category_code, m.incident_count, m.is_demo, m.is_provisional,
        m.months, CASE WHEN m.is_demo THEN 'demo' ELSE 'import' END AS source_id
    FROM monthly AS m
    WHERE NOT EXISTS (
        SELECT 1 FROM published AS p
        WHERE
            p.gemeente_code = m.gemeente_code
            AND p.year = m.year
            AND p.category_code = m.category_code
    )
),

years_with_months AS (
    SELECT DISTINCT
        gemeente_code,
        year
    FROM monthly
),

computed_total AS (
    SELECT
        c.gemeente_code,
        c.year,
        '0.0.0' AS category_code,
        sum(c.incident_count) AS incident_count,
        bool_or(c.is_demo) AS is_demo,
        bool_or(c.is_provisional) AS is_provisional,
        min(c.months) AS months,
        string_agg(DISTINCT c.source_id, ',' ORDER BY c.source_id) AS source_id
    FROM per_category AS c
    INNER JOIN incident_categories AS k ON c.category_code = k.category_code
    INNER JOIN years_with_months AS y ON c.gemeente_code = y.gemeente_code AND c.year = y.year
    WHERE k.kind = 'misdrijf'
    GROUP BY c.gemeente_code, c.year
),

all_rows AS (
    SELECT * FROM per_category
    UNION ALL
    SELECT * FROM computed_total AS t
    WHERE NOT EXISTS (
        SELECT 1 FROM published AS p
        WHERE
            p.gemeente_code = t.gemeente_code
            AND p.year = t.year
            AND p.category_code = '0.0.0'
    )
)

SELECT
    r.gemeente_code,
    r.year,
    r.category_code,
    k.name AS category_name,
    r.incident_count,
    r.is_demo,
    r.is_provisional,
    r.months,
    r.source_id
FROM all_rows AS r
INNER JOIN incident_categories AS k ON r.category_code = k.category_code;

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
