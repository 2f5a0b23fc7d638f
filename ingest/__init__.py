"""Importers: read uploaded exports (LinkedIn, CRM, address books, calendars, team sheets) into graph batches.

The format registry arrives with the importers; this package may import ``graphapp.model``,
``graphapp.errors`` and ``graphapp.identity``, never the other way round.
"""
