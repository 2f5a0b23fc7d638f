"""The server store: a Neo4j database through the official driver (imported only when a Neo4j URI is chosen).

:mod:`~graphapp.store.neo4j.store` is the store itself; the Cypher text lives in
:mod:`~graphapp.store.neo4j.cypher` as pure builder functions, and only :mod:`~graphapp.store.neo4j.driver`
talks to the server."""
