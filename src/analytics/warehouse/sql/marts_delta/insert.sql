-- The recomputed rows of one summary table: the model's own query, over the shadowed relations.
INSERT INTO {catalog}.main.{table} BY NAME
{query}
