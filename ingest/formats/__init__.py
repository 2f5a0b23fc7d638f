"""One module per family of export formats (LinkedIn, CRM, address books, calendars, team sheets); the cell
helpers they share (names, e-mails, phones, dates, URLs) are in :mod:`ingest.formats.cells`."""
