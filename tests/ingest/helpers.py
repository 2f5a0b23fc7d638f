"""What the ingest tests share: where the sample files are, and parsing one file with one format."""

from __future__ import annotations

from pathlib import Path

from ingest.files import Limits, Source, read_table
from ingest.records import ParsedFile
from ingest.registry import CsvFormat

# CI clones the repository with shared/ beside it, as on a developer's machine.
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def parse_csv(source: Source, fmt: CsvFormat, limits: Limits | None = None) -> ParsedFile:
    """Find the header ``fmt`` recognises and parse the rows with it."""
    table = read_table(source, fmt.matches)
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name)
    fmt.parse(table, report, limits or Limits())
    return report
