DROP VIEW IF EXISTS temp.main.{table}
