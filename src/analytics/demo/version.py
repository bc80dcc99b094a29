"""Constants of the demo corpus, importable without loading the renderers."""

# Bump whenever the documents change, so ``analytics setup`` rebuilds a stale warehouse.
GENERATOR_VERSION = "4"
DEFAULT_SEED = 2025
