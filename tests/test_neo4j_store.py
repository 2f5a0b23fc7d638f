"""The Neo4j store without a server: a recording double of the driver's session (it records every
statement with its parameters and replays canned records for reads), the exact statements, parameters
and batch sizes the store sends, and the one-line messages for each driver error.

The live leg (``tests/test_neo4j_live.py``) runs the store contract suite against a real server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from neo4j import exceptions as nx

from graphapp.errors import ConfigError, InputError, NotFound, StoreBusy, StoreError
from graphapp.model import GraphBatch
from graphapp.service.common import neo4j_credentials as credentials
from graphapp.service.common import store_config
from graphapp.store.config import StoreConfig
from graphapp.store.neo4j import cypher as cy
from graphapp.store.neo4j.driver import Neo4jTarget, Sessions, parse_target, store_error
from graphapp.store.neo4j.store import Neo4jStore, open_neo4j
from tests.conftest import BatchMaker, record, small_batch

URI = "neo4j://localhost:7687"
Responder = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


class Result:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self._records = records

    def data(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._records]

    def keys(self) -> list[str]:  # a record's keys, as the driver's Result gives them
        return list(self._records[0]) if self._records else []

    def __iter__(self):
        keys = self.keys()
        return iter([tuple(r[k] for k in keys) for r in self._records])


class RecordingDriver:
    """Stands in for ``neo4j.Driver``: sessions whose managed transactions record ``(query, params)``
    and answer from ``canned`` (query -> queue of record lists) or ``respond(query, params)``.
    ``fail_units`` exceptions are raised by the next units of work, as the real driver raises an error
    once its retries are spent."""

    def __init__(self, respond: Responder | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.units: list[str] = []
        self.canned: dict[str, list[list[dict[str, Any]]]] = {}
        self.respond = respond
        self.fail_units: list[Exception] = []
        self.databases: list[str | None] = []
        self.closed = False

    def answer(self, query: str, *records: list[dict[str, Any]]) -> None:
        self.canned.setdefault(query, []).extend(records)

    def run(self, query: str, params: dict[str, Any]) -> Result:
        self.calls.append((query, params))
        if self.canned.get(query):
            return Result(self.canned[query].pop(0))
        return Result(self.respond(query, params) if self.respond else [])

    def session(self, database: str | None = None) -> Session:
        self.databases.append(database)
        return Session(self)

    def verify_connectivity(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def queries(self) -> list[str]:
        return [q for q, _p in self.calls]


class Tx:
    def __init__(self, driver: RecordingDriver) -> None:
        self.driver = driver

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> Result:
        return self.driver.run(query, dict(parameters or {}))


class Session:
    def __init__(self, driver: RecordingDriver) -> None:
        self.driver = driver

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def _unit(self, kind: str, fn):
        self.driver.units.append(kind)
        if self.driver.fail_units:
            raise self.driver.fail_units.pop(0)
        return fn(Tx(self.driver))

    def execute_read(self, fn):
        return self._unit("read", fn)

    def execute_write(self, fn):
        return self._unit("write", fn)


def make_store(driver: RecordingDriver, batch_size: int = 5000, database: str | None = None) -> Neo4jStore:
    target = Neo4jTarget(uri=URI, host="localhost", database=database, tls=False)
    return Neo4jStore(Sessions(driver, target, 7.5), batch_size)


META = [{"version": 4, "next_pk": 100, "next_seq": 3}]


# -- staging and publishing an import ---------------------------------------------------------------------
def test_an_import_is_staged_in_batches_of_the_configured_size_then_published_in_one_transaction():
    driver = RecordingDriver()
    store = make_store(driver, batch_size=4)
    batch = small_batch("i1")  # 2 organisations, 3 people, 3 jobs, 2 relationships: 10 facts
    for first in (1, 5, 9):
        driver.answer(cy.ALLOCATE_PKS, [{"first": first}])
    driver.answer(cy.LOCK, META)
    driver.answer(cy.STAGED_BATCH, [{"reps": '[["dana@example.com","p-dana","Dana Whitfield","rep"]]', "merges": "[]"}])
    driver.answer(cy.DROP_STAGED_EVIDENCE, [{"deleted": 0}])
    with pytest.raises(InputError, match="Facts refer to people not in the store"):
        with store.importing(record("i1")) as writer:
            writer.write(batch)
    staged = [p for q, p in driver.calls if q == cy.STAGE_EVIDENCE]
    assert [len(p["rows"]) for p in staged] == [4, 4, 2]
    assert [r["pk"] for p in staged for r in p["rows"]] == list(range(1, 11))
    assert [r["subject"] for r in staged[0]["rows"]] == ["organization", "organization", "person", "person"]
    first = staged[0]["rows"][0]
    assert (first["subject_key"], first["file"], first["sha256"], first["row"], first["fact"], first["owner"]) == (
        '["o-initech"]', "contacts.csv", "sha-1", 1, "organization", "dana@example.com")
    assert staged[0]["import_id"] == "i1" and staged[0]["batch"] == 0
    assert [p["n"] for q, p in driver.calls if q == cy.ALLOCATE_PKS] == [4, 4, 2]
    # The double holds no people, so publishing refuses the reps' facts, and the staged import is deleted.
    assert driver.queries()[-2:] == [cy.DROP_STAGED_EVIDENCE, cy.DROP_STAGING_IMPORT]
    # Staging never took the write lock, so the data version did not move.
    assert driver.queries().count(cy.LOCK) == 1 and cy.PUBLISH_IMPORT not in driver.queries()


def test_publishing_one_new_person_writes_exactly_these_statements():
    driver = RecordingDriver()
    store = make_store(driver, batch_size=50)
    m = BatchMaker("i1")
    driver.answer(cy.ALLOCATE_PKS, [{"first": 1}])
    driver.answer(cy.LOCK, META)
    driver.answer(cy.STAGED_BATCH, [{"reps": "[]", "merges": "[]"}])
    staged = {"pk": 1, "subject": "person", "file": "contacts.csv", "sha256": "sha-1", "row": 1, "fact": "contact",
              "owner": "dana@example.com",
              "snapshot": '{"emails":["ola@example.com"],"id":"p-ola","linkedin_url":null,"location":null,'
                          '"name":"Ola Nordmann","name_variants":[],"phones":[],"title":null}'}
    driver.answer(cy.STAGED_EVIDENCE, [staged])
    lists = '{"emails":["ola@example.com"],"name_variants":[],"phones":[]}'
    person = {"pk": 100, "id": "p-ola", "name": "Ola Nordmann", "linkedin_url": None, "title": None,
              "location": None, "lists": lists}
    driver.answer(cy.PEOPLE_BY_PK, [person])
    with store.importing(record("i1")) as writer:
        writer.write(GraphBatch(people=(m.person("p-ola", "Ola Nordmann", "ola@example.com"),)))
    published = driver.calls[driver.queries().index(cy.LOCK):]
    assert [q for q, _p in published] == [
        cy.LOCK, cy.STAGED_BATCH, cy.STAGED_EVIDENCE, cy.PEOPLE_BY_ID, cy.UPSERT_PEOPLE, cy.LINK_EVIDENCE,
        cy.ORG_IDS_OF_PEOPLE, cy.PEOPLE_BY_PK, cy.PERSON_KEYS_OF, cy.ADD_PERSON_KEYS, cy.PUBLISH_IMPORT,
        cy.DROP_STAGED_BATCHES,
        # the identity check of what the import touched, before the transaction commits
        cy.DOCTOR_PEOPLE_AT, cy.DOCTOR_REPS, cy.DOCTOR_PEOPLE_BARE_AT, cy.SAVE_COUNTERS]
    params = dict(published)
    assert params[cy.UPSERT_PEOPLE] == {"rows": [{**person, "folded": "ola nordmann"}]}
    assert params[cy.LINK_EVIDENCE] == {"rows": [{"pk": 1, "subject_pk": 100}]}
    assert params[cy.ADD_PERSON_KEYS] == {"rows": [{"key": "email:ola@example.com", "pk": 100}]}
    assert params[cy.PUBLISH_IMPORT] == {
        "import_id": "i1", "seq": 3,
        "counts": '{"employments_added":0,"organizations_added":0,"people_added":1,"relationships_added":0}'}
    assert params[cy.SAVE_COUNTERS] == {"next_pk": 101, "next_seq": 4}
    assert params[cy.DOCTOR_PEOPLE_AT] == params[cy.DOCTOR_PEOPLE_BARE_AT] == {"pks": [100]}
    assert writer.added() == {"people": 1, "organizations": 0, "employments": 0, "relationships": 0}
    assert driver.units.count("write") == 4  # staging record, one evidence batch, the batch record, publishing


def test_an_exception_inside_the_import_deletes_what_was_staged_and_propagates():
    driver = RecordingDriver()
    store = make_store(driver, batch_size=2)
    driver.answer(cy.ALLOCATE_PKS, [{"first": 1}])
    driver.answer(cy.DROP_STAGED_EVIDENCE, [{"deleted": 2}], [{"deleted": 0}])
    m = BatchMaker("i2")
    with pytest.raises(RuntimeError, match="boom"):
        with store.importing(record("i2")) as writer:
            writer.write(GraphBatch(people=(m.person("p-a", "A", "a@example.com"),)))
            raise RuntimeError("boom")
    tail = driver.calls[-3:]
    assert tail == [(cy.DROP_STAGED_EVIDENCE, {"import_id": "i2", "limit": 2}),
                    (cy.DROP_STAGED_EVIDENCE, {"import_id": "i2", "limit": 2}),
                    (cy.DROP_STAGING_IMPORT, {"import_id": "i2"})]
    assert cy.LOCK not in driver.queries()


def test_an_import_id_already_used_is_refused_before_anything_is_staged():
    driver = RecordingDriver()
    driver.answer(cy.IMPORT_EXISTS, [{"status": "committed"}])
    with pytest.raises(InputError, match="already exists"):
        with make_store(driver).importing(record("i1")):
            pass
    assert cy.STAGE_EVIDENCE not in driver.queries()


def test_staged_evidence_is_stale_after_a_day_and_deleted_by_the_next_import():
    driver = RecordingDriver()
    driver.answer(cy.STALE_STAGING, [{"id": "old-import"}])
    driver.answer(cy.DROP_STAGED_EVIDENCE, [{"deleted": 0}])
    with pytest.raises(InputError):
        driver.answer(cy.IMPORT_EXISTS, [{"status": "staging"}])
        with make_store(driver).importing(record("i1")):
            pass
    assert (cy.DROP_STAGING_IMPORT, {"import_id": "old-import"}) in driver.calls


# -- other writes ------------------------------------------------------------------------------------------
def test_set_strength_names_both_people_by_pk_and_the_owner():
    driver = RecordingDriver()
    driver.answer(cy.LOCK, META)
    driver.answer(cy.PERSON_PK, [{"pk": 7}], [{"pk": 9}])
    driver.answer(cy.SET_STRENGTH, [{"changed": 1}])
    assert make_store(driver).set_strength("p-a", "p-b", "dana@example.com", 0.8) == 1
    assert (cy.SET_STRENGTH, {"a": 7, "b": 9, "owner": "dana@example.com", "value": 0.8}) in driver.calls


def test_every_write_takes_the_lock_first_and_saves_the_counters_last():
    driver = RecordingDriver()
    driver.answer(cy.LOCK, META)
    make_store(driver).save_settings({"paths_top": "5", "meet_next": None})
    assert driver.calls == [(cy.LOCK, {}), (cy.SAVE_SETTING, {"name": "paths_top", "value": "5"}),
                            (cy.DELETE_SETTING, {"name": "meet_next"}),
                            (cy.SAVE_COUNTERS, {"next_pk": 100, "next_seq": 3})]


def test_sessions_name_the_configured_database():
    driver = RecordingDriver()
    driver.answer(cy.META, [{"version": 12}])
    assert make_store(driver, database="sales").data_version() == 12
    assert driver.databases == ["sales"]


# -- errors, retries and connecting ------------------------------------------------------------------------
def _hydrated(code: str, message: str = "server says no") -> Exception:
    return nx.Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(("error", "kind", "text"), [
    (nx.ServiceUnavailable("Couldn't connect to db.example.com:7687"), StoreError,
     "Cannot reach the Neo4j server at neo4j://localhost:7687: is it running, and is the address right? Nothing was changed."),
    (_hydrated("Neo.ClientError.Security.Unauthorized"), StoreError,
     "Neo4j at neo4j://localhost:7687 refused the user name or password; check NEO4J_USER and NEO4J_PASSWORD. "
     "Nothing was changed."),
    (_hydrated("Neo.ClientError.Database.DatabaseNotFound"), StoreError,
     "Neo4j at neo4j://localhost:7687 has no database '(default)'; create it or set GRAPHAPP_NEO4J_DATABASE to one "
     "that exists. Nothing was changed."),
    (_hydrated("Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"), StoreError,
     "Neo4j at neo4j://localhost:7687 is read-only here (a read replica or a read-only database); point --db at the "
     "cluster's neo4j:// address or its primary. Nothing was changed."),
    (_hydrated("Neo.ClientError.Cluster.NotALeader"), StoreError,
     "Neo4j at neo4j://localhost:7687 is read-only here (a read replica or a read-only database); point --db at the "
     "cluster's neo4j:// address or its primary. Nothing was changed."),
    (_hydrated("Neo.TransientError.Transaction.DeadlockDetected"), StoreBusy,
     "Neo4j at neo4j://localhost:7687 stayed busy for 7.5 s (a lock, a leader switch or a restart); nothing was "
     "changed, try again."),
    (nx.SessionExpired("leader switch"), StoreBusy,
     "Neo4j at neo4j://localhost:7687 stayed busy for 7.5 s (a lock, a leader switch or a restart); nothing was "
     "changed, try again."),
    (_hydrated("Neo.TransientError.General.MemoryPoolOutOfMemoryError"), StoreError,
     "Neo4j at neo4j://localhost:7687 ran out of transaction memory (dbms.memory.transaction.total.max, or the "
     "heap); give the server more memory or import the files in smaller parts. Nothing was changed."),
    (_hydrated("Neo.DatabaseError.General.UnknownError"), StoreError,
     "Neo4j at neo4j://localhost:7687 failed (Neo.DatabaseError.General.UnknownError); nothing was changed."),
])
def test_each_driver_error_after_the_drivers_retries_becomes_one_line_naming_the_uri(error, kind, text):
    driver = RecordingDriver()
    driver.fail_units.append(error)
    with pytest.raises(kind) as caught:
        make_store(driver).save_settings({"paths_top": "5"})
    assert type(caught.value) is kind and str(caught.value) == text


def test_a_transient_error_on_publishing_leaves_nothing_staged_behind():
    driver = RecordingDriver()
    store = make_store(driver)
    driver.answer(cy.ALLOCATE_PKS, [{"first": 1}])
    driver.answer(cy.DROP_STAGED_EVIDENCE, [{"deleted": 1}], [{"deleted": 0}])
    m = BatchMaker("i1")
    with pytest.raises(StoreBusy, match="nothing was changed"):
        with store.importing(record("i1")) as writer:
            writer.write(GraphBatch(people=(m.person("p-a", "A", "a@example.com"),)))
            driver.fail_units.append(_hydrated("Neo.TransientError.Transaction.DeadlockDetected"))
    assert driver.queries()[-3:] == [cy.DROP_STAGED_EVIDENCE, cy.DROP_STAGED_EVIDENCE, cy.DROP_STAGING_IMPORT]


def test_the_driver_is_made_once_per_process_with_the_configured_retry_time(monkeypatch):
    made: list[tuple[str, dict]] = []
    driver = RecordingDriver()
    driver.answer(cy.META, [{"version": 0}])

    def factory(uri, **config):
        made.append((uri, config))
        return driver

    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    monkeypatch.setenv("GRAPHAPP_NEO4J_RETRY_SECONDS", "12.5")
    monkeypatch.setenv("GRAPHAPP_NEO4J_BATCH_SIZE", "250")
    config = store_config("bolt://localhost:7687")  # the service reads the settings; the store is given them
    assert config == StoreConfig(neo4j_retry_seconds=12.5, neo4j_batch_size=250, neo4j_password="s3cret-pw")
    assert "s3cret" not in repr(config)
    first = open_neo4j("bolt://localhost:7687", config=config, driver_factory=factory)
    second = open_neo4j("bolt://localhost:7687", config=config, driver_factory=factory)
    assert len(made) == 1
    uri, config = made[0]
    assert uri == "bolt://localhost:7687" and config["auth"] == ("neo4j", "s3cret-pw")
    assert config["max_transaction_retry_time"] == 12.5
    assert first._batch == second._batch == 250
    schema = [q for q in driver.queries() if q.startswith("CREATE ")]
    assert schema == list(cy.SCHEMA)  # once per process, whatever the number of stores
    first.close()
    assert not driver.closed
    second.close()
    assert driver.closed


def test_an_unreachable_server_is_reported_with_its_uri_and_never_the_password():
    config = StoreConfig(neo4j_password="hunter2-secret", neo4j_retry_seconds=1)
    with pytest.raises(StoreError) as caught:
        open_neo4j("bolt://127.0.0.1:1", config=config)  # the real driver; nothing listens on port 1
    assert str(caught.value) == ("Cannot reach the Neo4j server at bolt://127.0.0.1:1: is it running, and is the "
                                 "address right? Nothing was changed.")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(("location", "allowed", "host", "tls"), [
    ("neo4j://localhost:7687", False, "localhost", False),
    ("bolt://127.0.0.1:7687", False, "127.0.0.1", False),
    ("neo4j+s://abc123.databases.neo4j.io", False, "abc123.databases.neo4j.io", True),
    ("bolt+ssc://db.internal.example.com", False, "db.internal.example.com", True),
    ("neo4j://db.internal.example.com:7687", True, "db.internal.example.com", False),
])
def test_addresses_that_may_be_used(location, allowed, host, tls):
    target = parse_target(location, allow_insecure=allowed)
    assert (target.host, target.tls, target.uri) == (host, tls, location)


def test_a_remote_server_without_tls_is_refused_and_credentials_in_the_uri_are_never_shown():
    with pytest.raises(ConfigError) as caught:
        parse_target("neo4j://neo4j:pw123@db.example.com:7687")
    assert str(caught.value) == ("Refusing to send the Neo4j password unencrypted to db.example.com: use neo4j+s:// "
                                 "(e.g. neo4j+s://db.example.com:7687), or set GRAPHAPP_NEO4J_ALLOW_INSECURE=1 on a "
                                 "network you trust.")
    assert parse_target("neo4j+s://neo4j:pw123@db.example.com", database="sales").location == (
        "neo4j+s://db.example.com (database sales)")
    with pytest.raises(ConfigError, match="is not a Neo4j address"):
        parse_target("http://db.example.com")


def test_credentials_come_from_the_environment_then_the_apps_secrets_file(tmp_path):
    assert credentials({"NEO4J_USER": "ops", "NEO4J_PASSWORD": "pw"}) == ("ops", "pw")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[neo4j]\nuser = "app"\npassword = "from-file"\n')
    assert credentials({}, secrets) == ("app", "from-file")
    with pytest.raises(ConfigError, match="No Neo4j password"):
        credentials({}, tmp_path / "missing.toml")


def test_store_error_of_an_unknown_database_names_it():
    target = Neo4jTarget(uri=URI, host="localhost", database="sales", tls=False)
    assert "has no database 'sales'" in str(store_error(_hydrated("Neo.ClientError.Database.DatabaseNotFound"), target))


def test_cypher_is_constant_text_with_parameters_and_fixed_labels():
    texts = [v for k, v in vars(cy).items() if k.isupper() and not k.startswith("_") and isinstance(v, str)]
    for text in [*texts, *cy.SCHEMA]:
        assert not re.search(r"\{\w+\}|\{\{", text), text  # no placeholder left unfilled: values are $parameters
        assert "'" not in text.replace("'graph'", "").replace("'staging'", "").replace("'committed'", "").replace(
            "'undone'", "").replace("'person'", "").replace("'employment'", "").replace("'relationship'", "").replace(
            "'organization'", "").replace("'rep'", "").replace("'audit'", "").replace("'domain:'", "").replace("'{}'", ""), text  # literals: fixed words only
        for label in re.findall(r"\(\w*:(\w+)", text):
            assert label in cy.LABELS, (label, text)
        for rel in re.findall(r"\[\w*:(\w+)", text):
            assert rel in cy.REL_TYPES, (rel, text)


def test_forgetting_a_person_removes_their_facts_evidence_intros_and_keys_in_one_unit():
    driver = RecordingDriver()
    driver.answer(cy.LOCK, META)
    driver.answer(cy.FORGET_FACTS, [{"pk": 7, "lists": '{"emails": ["mei@example.com"]}', "ties": [11, 12],
                                     "jobs": [21], "keys": ["email:mei@example.com", "name:mei"], "is_rep": False}])
    driver.answer(cy.FORGET_EVIDENCE, [{"removed": 6}])
    driver.answer(cy.FORGET_INTROS, [{"removed": 1}])
    driver.answer(cy.FORGET_PERSON, [{"keys": 2}])
    driver.answer(cy.AUDIT_NEXT, [{"seq": 1, "salt": "pepper"}])
    counts = make_store(driver).forget_person("p-mei")
    assert counts == {"relationships": 2, "employments": 1, "evidence": 6, "keys": 2, "intros": 1, "suppressed": 0}
    assert (cy.FORGET_EVIDENCE, {"subjects": [{"subject": "relationship", "pk": 11}, {"subject": "relationship", "pk": 12},
                                              {"subject": "employment", "pk": 21}, {"subject": "person", "pk": 7}]}) \
        in driver.calls
    assert (cy.FORGET_INTROS, {"id": "p-mei", "quoted": '"p-mei"'}) in driver.calls
    assert [q for q, _ in driver.calls[-4:]] == [cy.FORGET_PERSON, cy.AUDIT_NEXT, cy.AUDIT_ADD, cy.SAVE_COUNTERS]
    assert driver.calls[-2][1]["objects"] == ["p-mei"]  # its audit row, in the same unit; no suppression asked


def test_forgetting_refuses_reps_and_unknown_people_on_neo4j():
    driver = RecordingDriver()
    driver.answer(cy.LOCK, META, META)
    driver.answer(cy.FORGET_FACTS, [{"pk": 3, "ties": [], "jobs": [], "is_rep": True}], [])
    store = make_store(driver)
    with pytest.raises(InputError, match="is a rep on the team"):
        store.forget_person("p-dana")
    with pytest.raises(NotFound, match="No person with id 'p-nobody'"):
        store.forget_person("p-nobody")


def test_a_visibility_change_names_the_person_the_owner_and_the_level():
    driver = RecordingDriver()
    driver.answer(cy.LOCK, META)
    driver.answer(cy.PERSON_PK, [{"pk": 7}])
    driver.answer(cy.SET_PERSON_VISIBILITY, [{"changed": 2}])
    store = make_store(driver)
    assert store.set_person_visibility("p-eve", "dana@example.com", "private") == 2
    assert (cy.SET_PERSON_VISIBILITY, {"pk": 7, "owner": "dana@example.com", "visibility": "private"}) in driver.calls
    with pytest.raises(InputError, match="Unknown visibility 'public'"):
        store.set_person_visibility("p-eve", "dana@example.com", "public")
