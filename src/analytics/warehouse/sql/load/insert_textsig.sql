-- One report's MinHash signature and band hashes.
INSERT INTO report_textsig (report_id, sig, bands) VALUES (?, ?, ?)
