"""One module per sub-command of the ``analytics`` CLI (see ``analytics.cli``)."""
