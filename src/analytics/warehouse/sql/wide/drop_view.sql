-- The metrics view depends on report_wide: dropped before a rebuild.
DROP VIEW IF EXISTS report_metrics
