"""The demo corpus: a fictional city's agencies and their annual reports as real documents.

``corpus.write_corpus(out, seed, scale)`` renders HTML, DOCX, PDF and flattened-text reports from a
seeded figure model, with a manifest, the truth each document was drawn from and the errors
planted on purpose.
"""

from .corpus import DEFAULT_SEED, GENERATOR_VERSION, build_reports, write_corpus

__all__ = ["DEFAULT_SEED", "GENERATOR_VERSION", "build_reports", "write_corpus"]
