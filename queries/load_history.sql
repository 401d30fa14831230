-- Every import, newest first: when, which file, what it changed, by whom.
SELECT
    loaded_at,
    file_name,
    file_size,
    sha256,
    kind,
    rows_new,
    rows_replaced,
    rows_unchanged,
    rows_demo_replaced,
    rows_skipped,
    loaded_by
FROM load_history
ORDER BY loaded_at DESC
