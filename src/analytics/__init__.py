"""Parse, check and compare government information disclosure annual reports."""

__version__ = "0.1.0"
SCHEMA = "gov-open-report/1"


def __getattr__(name: str):
    # PARSER_VERSION is a digest of the parser's sources (parsing/version.py), computed when first
    # asked for, so that importing the package for the dashboard or the CLI does not read them.
    if name == "PARSER_VERSION":
        from .parsing.version import parser_version

        return parser_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
