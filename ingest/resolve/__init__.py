"""Who is who: an import's records matched to one another and to the people and organisations already known
(:mod:`~ingest.resolve.resolver`), clustered into people (:mod:`~ingest.resolve.people`) and written as facts
(:mod:`~ingest.resolve.facts`)."""
