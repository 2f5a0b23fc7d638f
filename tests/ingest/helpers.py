"""What the ingest tests share: where the sample files are, and parsing one file with one format."""

from __future__ import annotations

from pathlib import Path

from ingest.files import Limits, Source, read_table
from ingest.formats.spec import CsvFormat
from ingest.records import ParsedFile

# Invented sample exports, committed with the script that wrote them (tests/fixtures/samples/make_samples.py).
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
# Export variants real files take (tests/fixtures/variants/make_variants.py wrote them; README.md there).
VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "variants"


def parse_csv(source: Source, fmt: CsvFormat, limits: Limits | None = None) -> ParsedFile:
    """Find the header ``fmt`` recognises and parse the rows with it."""
    table = read_table(source, fmt.matches)
    report = ParsedFile(source.name, source.size, source.sha256, fmt.name)
    fmt.parse(table, report, limits or Limits())
    return report
