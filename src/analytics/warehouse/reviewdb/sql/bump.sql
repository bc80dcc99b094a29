-- Every write moves the version on: readers compare it to know when to reload the decisions.
UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'version'
