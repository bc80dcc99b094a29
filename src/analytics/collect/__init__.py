"""Collecting reports from agencies' websites: ``fetch`` (polite HTTP), ``listing`` (list pages
and pagination), ``pick`` (which links are annual reports, and their year), ``run`` (the whole
column into files and a manifest)."""
