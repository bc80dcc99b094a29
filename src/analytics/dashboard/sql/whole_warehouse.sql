-- Whether the filters choose every current report of the warehouse (the default view): then the
-- peer statistics and ranks the refresh computed stand for the chosen agencies.
SELECT whole_warehouse($year_from, $year_to, $province, $city, $county, $levels, $kinds, $datasets)
       AS whole_warehouse
