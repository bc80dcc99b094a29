"""The demo corpus: a fictional city's agencies and their annual reports as real documents.

``corpus.write_corpus(out, seed, scale)`` renders HTML, DOCX, PDF and flattened-text reports from a
seeded figure model, with a manifest, the truth each document was drawn from and the errors
planted on purpose.
"""

from .version import DEFAULT_SEED, GENERATOR_VERSION


def __getattr__(name):
    # The renderers pull in reportlab and numpy: load them only when a corpus is built.
    if name in ("build_reports", "write_corpus"):
        from . import corpus

        return getattr(corpus, name)
    raise AttributeError(name)

__all__ = ["DEFAULT_SEED", "GENERATOR_VERSION", "build_reports", "write_corpus"]
