CREATE OR REPLACE TEMP TABLE _peer_groups AS SELECT level, kind FROM agency_metric LIMIT 0
