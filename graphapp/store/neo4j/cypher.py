"""Every Cypher statement the Neo4j store runs, as constant text with parameters, and the pure helpers
that shape their parameters (batches for ``UNWIND``). No driver import: tests read these directly.

The graph in Neo4j mirrors the SQLite schema so the two stores hold the same facts and digests:

- ``(:Person {pk, id, name, linkedin_url, title, location, lists, folded})`` and
  ``(:Organization {pk, id, name, flags, lists, target_owner, priority, folded})``;
- ``(:Person)-[:TIE {pk, kind, owner, visibility, profession, first_seen, last_interaction, count_out,
  count_in, strength_override}]->(:Person)`` and ``(:Person)-[:WORKS_AT {pk, start, end_date, title, current,
  as_of}]->(:Organization)``;
- ``(:Evidence {pk, import_id, batch, subject, subject_key, subject_pk, file, sha256, row, fact, owner,
  snapshot})``: ``subject_pk`` is null while the import is staged, which hides it from every reader;
- ``(:Import)``, ``(:StagedBatch)``, ``(:Rep)``, ``(:PersonKey)``, ``(:OrgKey)``, ``(:Setting)``,
  ``(:Intro)``, ``(:IntroEvent)`` and one ``(:GraphMeta {key: 'graph', version, next_pk, next_seq})``.

``pk`` s come from the meta node's counter and order everything the way SQLite's row ids do, so both
stores build identical in-memory views of the same data. Every write transaction starts with
:data:`LOCK`, which write-locks the meta node: writers are serialised, as SQLite's are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

LABELS: tuple[str, ...] = ("GraphMeta", "Import", "StagedBatch", "Person", "Organization", "Evidence", "Rep",
                           "PersonKey", "OrgKey", "Setting", "Intro", "IntroEvent", "KeptApart", "Audit",
                           "Suppressed")
REL_TYPES: tuple[str, ...] = ("TIE", "WORKS_AT")

SCHEMA: tuple[str, ...] = (
    "CREATE CONSTRAINT graphapp_meta_key IF NOT EXISTS FOR (n:GraphMeta) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT graphapp_import_id IF NOT EXISTS FOR (n:Import) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graphapp_person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graphapp_person_pk IF NOT EXISTS FOR (n:Person) REQUIRE n.pk IS UNIQUE",
    "CREATE CONSTRAINT graphapp_org_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graphapp_org_pk IF NOT EXISTS FOR (n:Organization) REQUIRE n.pk IS UNIQUE",
    "CREATE CONSTRAINT graphapp_evidence_pk IF NOT EXISTS FOR (n:Evidence) REQUIRE n.pk IS UNIQUE",
    "CREATE CONSTRAINT graphapp_rep_email IF NOT EXISTS FOR (n:Rep) REQUIRE n.email IS UNIQUE",
    "CREATE CONSTRAINT graphapp_setting_name IF NOT EXISTS FOR (n:Setting) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT graphapp_intro_id IF NOT EXISTS FOR (n:Intro) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT graphapp_kept_apart_pk IF NOT EXISTS FOR (n:KeptApart) REQUIRE n.pk IS UNIQUE",
    "CREATE CONSTRAINT graphapp_suppressed_hash IF NOT EXISTS FOR (n:Suppressed) REQUIRE n.hash IS UNIQUE",
    "CREATE CONSTRAINT graphapp_tie_pk IF NOT EXISTS FOR ()-[r:TIE]-() REQUIRE r.pk IS UNIQUE",
    "CREATE CONSTRAINT graphapp_job_pk IF NOT EXISTS FOR ()-[r:WORKS_AT]-() REQUIRE r.pk IS UNIQUE",
    "CREATE INDEX graphapp_evidence_subject IF NOT EXISTS FOR (n:Evidence) ON (n.subject, n.subject_pk)",
    "CREATE INDEX graphapp_evidence_import IF NOT EXISTS FOR (n:Evidence) ON (n.import_id, n.batch)",
    "CREATE INDEX graphapp_staged_batch IF NOT EXISTS FOR (n:StagedBatch) ON (n.import_id, n.batch)",
    "CREATE INDEX graphapp_person_key IF NOT EXISTS FOR (n:PersonKey) ON (n.key)",
    "CREATE INDEX graphapp_person_key_pk IF NOT EXISTS FOR (n:PersonKey) ON (n.pk)",
    "CREATE INDEX graphapp_org_key IF NOT EXISTS FOR (n:OrgKey) ON (n.key)",
    "CREATE INDEX graphapp_org_key_pk IF NOT EXISTS FOR (n:OrgKey) ON (n.pk)",
    "CREATE INDEX graphapp_rep_person IF NOT EXISTS FOR (n:Rep) ON (n.person_pk)",
    "CREATE INDEX graphapp_intro_event IF NOT EXISTS FOR (n:IntroEvent) ON (n.intro_id)",
    "CREATE TEXT INDEX graphapp_person_folded IF NOT EXISTS FOR (n:Person) ON (n.folded)",
    "CREATE TEXT INDEX graphapp_org_folded IF NOT EXISTS FOR (n:Organization) ON (n.folded)",
)
INIT_META = ("MERGE (m:GraphMeta {key: 'graph'}) "
             "ON CREATE SET m.version = 0, m.next_pk = 1, m.next_seq = 1 RETURN m.version AS version")
META = "MATCH (m:GraphMeta {key: 'graph'}) RETURN m.version AS version"

# -- the write lock and the counters ------------------------------------------------------------------
LOCK = ("MATCH (m:GraphMeta {key: 'graph'}) SET m.version = m.version + 1 "
        "RETURN m.version AS version, m.next_pk AS next_pk, m.next_seq AS next_seq")
SAVE_COUNTERS = "MATCH (m:GraphMeta {key: 'graph'}) SET m.next_pk = $next_pk, m.next_seq = $next_seq"
ALLOCATE_PKS = ("MATCH (m:GraphMeta {key: 'graph'}) SET m.next_pk = m.next_pk + $n "
                "RETURN m.next_pk - $n AS first")

# -- staging an import ----------------------------------------------------------------------------------
IMPORT_EXISTS = "MATCH (i:Import {id: $id}) RETURN i.status AS status"
CREATE_STAGING_IMPORT = """CREATE (i:Import {id: $id, seq: null, time: $time, actor: $actor, kind: $kind,
    status: 'staging', files: $files, counts: '{}', batches: 0})"""
STAGE_EVIDENCE = """UNWIND $rows AS row
CREATE (e:Evidence {pk: row.pk, import_id: $import_id, batch: $batch, subject: row.subject,
    subject_key: row.subject_key, subject_pk: null, file: row.file, sha256: row.sha256, row: row.row,
    fact: row.fact, owner: row.owner, snapshot: row.snapshot})"""
STAGE_BATCH = """MATCH (i:Import {id: $import_id, status: 'staging'})
SET i.batches = $batch + 1
CREATE (b:StagedBatch {import_id: $import_id, batch: $batch, reps: $reps, merges: $merges})"""
STAGED_BATCH = "MATCH (b:StagedBatch {import_id: $import_id, batch: $batch}) RETURN b.reps AS reps, b.merges AS merges"
STAGED_EVIDENCE = """MATCH (e:Evidence {import_id: $import_id, batch: $batch})
RETURN e.pk AS pk, e.subject AS subject, e.file AS file, e.sha256 AS sha256, e.row AS row, e.fact AS fact,
    e.owner AS owner, e.snapshot AS snapshot ORDER BY e.pk"""
DROP_STAGED_EVIDENCE = """MATCH (e:Evidence {import_id: $import_id}) WHERE e.subject_pk IS NULL
WITH e LIMIT $limit DETACH DELETE e RETURN count(*) AS deleted"""
DROP_STAGING_IMPORT = """MATCH (i:Import {id: $import_id, status: 'staging'})
OPTIONAL MATCH (b:StagedBatch {import_id: $import_id}) DETACH DELETE b, i"""
DROP_STAGED_BATCHES = "MATCH (b:StagedBatch {import_id: $import_id}) DETACH DELETE b"
STALE_STAGING = "MATCH (i:Import {status: 'staging'}) WHERE i.time < $before RETURN i.id AS id"
PUBLISH_IMPORT = """MATCH (i:Import {id: $import_id, status: 'staging'})
SET i.status = 'committed', i.seq = $seq, i.counts = $counts"""
LINK_EVIDENCE = """UNWIND $rows AS row MATCH (e:Evidence {pk: row.pk}) SET e.subject_pk = row.subject_pk"""
DELETE_EVIDENCE = "UNWIND $pks AS pk MATCH (e:Evidence {pk: pk}) DETACH DELETE e"
OTHER_EVIDENCE = """UNWIND $pks AS pk MATCH (e:Evidence {subject: $subject, subject_pk: pk})
WHERE e.import_id <> $import_id RETURN DISTINCT pk"""

# -- people and organisations ---------------------------------------------------------------------------
_PERSON_FIELDS = ("n.pk AS pk, n.id AS id, n.name AS name, n.linkedin_url AS linkedin_url, n.title AS title, "
                  "n.location AS location, n.lists AS lists")
_ORG_FIELDS = ("n.pk AS pk, n.id AS id, n.name AS name, n.flags AS flags, n.lists AS lists, "
               "n.target_owner AS target_owner, n.priority AS priority")
PEOPLE_BY_ID = f"UNWIND $ids AS id MATCH (n:Person {{id: id}}) RETURN {_PERSON_FIELDS}"
PEOPLE_BY_PK = f"UNWIND $pks AS pk MATCH (n:Person {{pk: pk}}) RETURN {_PERSON_FIELDS}"
ORGS_BY_ID = f"UNWIND $ids AS id MATCH (n:Organization {{id: id}}) RETURN {_ORG_FIELDS}"
ORGS_BY_PK = f"UNWIND $pks AS pk MATCH (n:Organization {{pk: pk}}) RETURN {_ORG_FIELDS}"
ALL_ORGS = f"MATCH (n:Organization) RETURN {_ORG_FIELDS}"
UPSERT_PEOPLE = """UNWIND $rows AS row
MERGE (n:Person {id: row.id}) ON CREATE SET n.pk = row.pk
SET n.name = row.name, n.linkedin_url = row.linkedin_url, n.title = row.title, n.location = row.location,
    n.lists = row.lists, n.folded = row.folded"""
UPSERT_ORGS = """UNWIND $rows AS row
MERGE (n:Organization {id: row.id}) ON CREATE SET n.pk = row.pk
SET n.name = row.name, n.flags = row.flags, n.lists = row.lists, n.target_owner = row.target_owner,
    n.priority = row.priority, n.folded = row.folded"""
SEEN_SOURCES = """UNWIND $pks AS pk
MATCH (e:Evidence {subject: $subject, subject_pk: pk}) WHERE e.import_id <> $import_id
RETURN e.subject_pk AS pk, e.sha256 AS sha256, e.row AS row, e.fact AS fact"""
PERSON_KEYS_OF = "UNWIND $pks AS pk MATCH (k:PersonKey {pk: pk}) RETURN k.key AS key, k.pk AS pk"
ORG_KEYS_OF = "UNWIND $pks AS pk MATCH (k:OrgKey {pk: pk}) RETURN k.key AS key, k.pk AS pk"
DROP_PERSON_KEYS = "UNWIND $rows AS row MATCH (k:PersonKey {key: row.key, pk: row.pk}) DELETE k"
ADD_PERSON_KEYS = "UNWIND $rows AS row CREATE (:PersonKey {key: row.key, pk: row.pk})"  # only keys read as missing
DROP_ORG_KEYS = "UNWIND $rows AS row MATCH (k:OrgKey {key: row.key, pk: row.pk}) DELETE k"
ADD_ORG_KEYS = "UNWIND $rows AS row CREATE (:OrgKey {key: row.key, pk: row.pk})"
ORG_IDS_OF_PEOPLE = """UNWIND $pks AS pk MATCH (p:Person {pk: pk})-[:WORKS_AT]->(o:Organization)
RETURN p.pk AS pk, o.id AS org_id"""

# -- reps ------------------------------------------------------------------------------------------------
ADD_REPS = """UNWIND $rows AS row MERGE (r:Rep {email: row.email})
ON CREATE SET r.person_pk = row.person_pk, r.role = row.role"""
REP_BY_EMAIL = "MATCH (r:Rep {email: $email}) RETURN r.email AS email"
LIST_REPS = """MATCH (r:Rep) MATCH (p:Person {pk: r.person_pk})
RETURN r.email AS email, p.id AS person_id, p.name AS name, r.role AS role, p.pk AS person_pk"""

# -- employments and relationships ----------------------------------------------------------------------
_JOB_FIELDS = ("p.pk AS person_pk, o.pk AS org_pk, j.start AS start, j.pk AS pk, j.end_date AS end_date, "
               "j.title AS title, j.current AS current, j.as_of AS as_of, p.id AS person_id, o.id AS org_id")
JOBS_BY_KEY = f"""UNWIND $keys AS k
MATCH (p:Person {{pk: k.p}})-[j:WORKS_AT {{start: k.s}}]->(o:Organization {{pk: k.o}}) RETURN {_JOB_FIELDS}"""
JOBS_BY_PK = f"""UNWIND $pks AS pk
MATCH (p:Person)-[j:WORKS_AT {{pk: pk}}]->(o:Organization) RETURN {_JOB_FIELDS}"""
# Only jobs and ties read as missing in the same transaction (or copied into an empty store): CREATE, not MERGE.
CREATE_JOBS = """UNWIND $rows AS row
MATCH (p:Person {pk: row.person_pk}), (o:Organization {pk: row.org_pk})
CREATE (p)-[:WORKS_AT {pk: row.pk, start: row.start, end_date: row.end_date, title: row.title,
                       current: row.current, as_of: row.as_of}]->(o)"""
UPDATE_JOBS = """UNWIND $rows AS row MATCH ()-[j:WORKS_AT {pk: row.pk}]->()
SET j.end_date = row.end_date, j.title = row.title, j.current = row.current, j.as_of = row.as_of"""
_TIE_FIELDS = ("s.pk AS source_pk, t.pk AS target_pk, r.kind AS kind, r.owner AS owner, r.pk AS pk, "
               "r.visibility AS visibility, r.profession AS profession, r.first_seen AS first_seen, "
               "r.last_interaction AS last_interaction, r.count_out AS count_out, r.count_in AS count_in, "
               "r.strength_override AS strength_override, s.id AS source_id, t.id AS target_id")
TIES_BY_KEY = f"""UNWIND $keys AS k
MATCH (s:Person {{pk: k.s}})-[r:TIE {{kind: k.kind, owner: k.owner}}]->(t:Person {{pk: k.t}}) RETURN {_TIE_FIELDS}"""
TIES_BY_PK = f"UNWIND $pks AS pk MATCH (s:Person)-[r:TIE {{pk: pk}}]->(t:Person) RETURN {_TIE_FIELDS}"
CREATE_TIES = """UNWIND $rows AS row
MATCH (s:Person {pk: row.source_pk}), (t:Person {pk: row.target_pk})
CREATE (s)-[:TIE {pk: row.pk, kind: row.kind, owner: row.owner, visibility: row.visibility,
                  profession: row.profession, first_seen: row.first_seen, last_interaction: row.last_interaction,
                  count_out: row.count_out, count_in: row.count_in, strength_override: row.strength_override}]->(t)"""
UPDATE_TIE_COUNTS = """UNWIND $rows AS row MATCH ()-[r:TIE {pk: row.pk}]->()
SET r.count_out = row.count_out, r.count_in = row.count_in, r.first_seen = row.first_seen,
    r.last_interaction = row.last_interaction, r.profession = row.profession"""
PEOPLE_OF_SEVERAL_OWNERS = """MATCH (e:Evidence {subject: 'person'}) WHERE e.subject_pk IS NOT NULL
WITH e.subject_pk AS pk, collect(DISTINCT e.owner) AS owners WHERE size(owners) > 1
MATCH (p:Person {pk: pk}) RETURN p.id AS id, owners"""
PERSON_EVIDENCE = """UNWIND $ids AS id MATCH (p:Person {id: id})
MATCH (e:Evidence {subject: 'person', subject_pk: p.pk}) MATCH (i:Import {id: e.import_id})
RETURN p.id AS id, e.owner AS owner, e.sha256 AS sha256, e.row AS row, e.fact AS fact, e.snapshot AS snapshot,
    e.pk AS pk, i.seq AS seq"""
EVIDENCE_OF_SUBJECTS = """UNWIND $pks AS pk
MATCH (e:Evidence {subject: $subject, subject_pk: pk}) MATCH (i:Import {id: e.import_id})
RETURN e.subject_pk AS subject_pk, e.sha256 AS sha256, e.row AS row, e.fact AS fact, e.snapshot AS snapshot,
    e.pk AS pk, i.seq AS seq"""
# Ties at either end of some people: found from each person (an index seek, then their ties), never by
# scanning every tie for a match at either end.
_TIES_AT = "WITH DISTINCT r WITH r, startNode(r) AS s, endNode(r) AS t RETURN " + _TIE_FIELDS
TIES_OF_PEOPLE = "UNWIND $pks AS pk MATCH (:Person {pk: pk})-[r:TIE]-(:Person)\n" + _TIES_AT
JOBS_OF_PEOPLE = f"UNWIND $pks AS pk MATCH (p:Person {{pk: pk}})-[j:WORKS_AT]->(o:Organization) RETURN {_JOB_FIELDS}"

# -- undo, merge, split, strength, targets --------------------------------------------------------------
IMPORT_BY_ID = """MATCH (i:Import {id: $id}) RETURN i.id AS id, i.time AS time, i.actor AS actor, i.kind AS kind,
    i.status AS status, i.files AS files, i.counts AS counts, i.seq AS seq"""
SUBJECTS_OF_IMPORT = """MATCH (e:Evidence {import_id: $import_id}) WHERE e.subject_pk IS NOT NULL
RETURN DISTINCT e.subject AS subject, e.subject_pk AS pk, e.fact = 'rep' AS rep"""
DELETE_IMPORT_EVIDENCE = """MATCH (e:Evidence {import_id: $import_id})
WITH e LIMIT $limit DETACH DELETE e RETURN count(*) AS deleted"""
DROP_REPS_WITHOUT_EVIDENCE = """UNWIND $pks AS pk MATCH (r:Rep {person_pk: pk})
WHERE NOT EXISTS { MATCH (e:Evidence {subject: 'person', subject_pk: pk}) WHERE e.fact = 'rep' } DELETE r"""
DROP_TIES_WITHOUT_EVIDENCE = """UNWIND $pks AS pk MATCH ()-[r:TIE {pk: pk}]->()
WHERE NOT EXISTS { MATCH (e:Evidence {subject: 'relationship', subject_pk: pk}) } DELETE r"""
DROP_JOBS_WITHOUT_EVIDENCE = """UNWIND $pks AS pk MATCH ()-[j:WORKS_AT {pk: pk}]->()
WHERE NOT EXISTS { MATCH (e:Evidence {subject: 'employment', subject_pk: pk}) } DELETE j"""
DROP_PEOPLE_WITHOUT_EVIDENCE = """UNWIND $pks AS pk MATCH (p:Person {pk: pk})
WHERE NOT EXISTS { MATCH (e:Evidence {subject: 'person', subject_pk: pk}) }
  AND NOT EXISTS { MATCH (r:Rep {person_pk: pk}) } AND NOT EXISTS { (p)-[:TIE|WORKS_AT]-() }
OPTIONAL MATCH (k:PersonKey {pk: pk}) DETACH DELETE k, p"""
DROP_ORGS_WITHOUT_EVIDENCE = """UNWIND $pks AS pk MATCH (o:Organization {pk: pk})
WHERE NOT EXISTS { MATCH (e:Evidence {subject: 'organization', subject_pk: pk}) }
  AND NOT EXISTS { (o)<-[:WORKS_AT]-() }
OPTIONAL MATCH (k:OrgKey {pk: pk}) DETACH DELETE k, o"""
MARK_UNDONE = "MATCH (i:Import {id: $import_id}) SET i.status = 'undone'"
MOVE_EVIDENCE = """MATCH (e:Evidence {subject: $subject, subject_pk: $old}) SET e.subject_pk = $new"""
DELETE_SUBJECT_EVIDENCE = "MATCH (e:Evidence {subject: $subject, subject_pk: $pk}) DETACH DELETE e"
MOVE_EVIDENCE_PKS = "UNWIND $pks AS pk MATCH (e:Evidence {pk: pk}) SET e.subject_pk = $new"
MOVE_REP = "MATCH (r:Rep {person_pk: $old}) SET r.person_pk = $new"
REPS_OF_PEOPLE = "UNWIND $pks AS pk MATCH (r:Rep {person_pk: pk}) RETURN r.person_pk AS pk"
DELETE_TIE = "MATCH ()-[r:TIE {pk: $pk}]->() DELETE r"
DELETE_JOB = "MATCH ()-[j:WORKS_AT {pk: $pk}]->() DELETE j"
# The old relationship goes first: its pk is unique, and a copy made before it went would break that.
RECREATE_TIE = """MATCH (s:Person {pk: $source_pk}), (t:Person {pk: $target_pk}), ()-[old:TIE {pk: $pk}]->()
WITH s, t, old, properties(old) AS props DELETE old
CREATE (s)-[r:TIE]->(t) SET r = props"""
RECREATE_JOB = """MATCH (p:Person {pk: $person_pk}), (o:Organization {pk: $org_pk}), ()-[old:WORKS_AT {pk: $pk}]->()
WITH p, o, old, properties(old) AS props DELETE old
CREATE (p)-[j:WORKS_AT]->(o) SET j = props"""
DELETE_PERSON = "MATCH (p:Person {pk: $pk}) OPTIONAL MATCH (k:PersonKey {pk: $pk}) DETACH DELETE k, p"
CREATE_PERSON = "CREATE (:Person {pk: $pk, id: $id, name: $name, lists: '{}', folded: $folded})"
EVIDENCE_OF_PERSON = """MATCH (e:Evidence {subject: 'person', subject_pk: $pk}) MATCH (i:Import {id: e.import_id})
RETURN e.pk AS pk, e.sha256 AS sha256, e.row AS row, e.snapshot AS snapshot ORDER BY i.seq, e.pk"""
SOURCES_OF_SUBJECT = """MATCH (e:Evidence {subject: $subject, subject_pk: $pk}) RETURN e.sha256 AS sha256, e.row AS row"""
SET_STRENGTH = """MATCH (a:Person {pk: $a})-[r:TIE {owner: $owner}]-(b:Person {pk: $b})
SET r.strength_override = $value RETURN count(r) AS changed"""
SET_TARGET = """MATCH (o:Organization {id: $id})
SET o.flags = o.flags - (o.flags % 4) + (o.flags % 2) + $target_bit, o.target_owner = $owner, o.priority = $priority
RETURN o.pk AS pk"""

# -- the team's records ---------------------------------------------------------------------------------
# -- the audit log: (:Audit {seq, time, actor, action, objects, counts}); its counter and salt on a GraphMeta
AUDIT_NEXT = """MERGE (c:GraphMeta {key: $key}) ON CREATE SET c.salt = $salt, c.next = 0
SET c.next = c.next + 1 RETURN c.next AS seq, c.salt AS salt"""
AUDIT_SALT = """MERGE (c:GraphMeta {key: 'audit'}) ON CREATE SET c.salt = $salt, c.next = 0 RETURN c.salt AS salt"""
AUDIT_ADD = """CREATE (:Audit {seq: $seq, time: $time, actor: $actor, action: $action, objects: $objects,
counts: $counts})"""
AUDIT_LOG = """MATCH (a:Audit) WHERE $action IS NULL OR a.action = $action
RETURN a.seq AS seq, a.time AS time, a.actor AS actor, a.action AS action, a.objects AS objects,
a.counts AS counts ORDER BY a.seq DESC LIMIT $limit"""
SAVED_SETTINGS = "MATCH (s:Setting) RETURN s.name AS name, s.value AS value ORDER BY s.name"
SAVE_SETTING = "MERGE (s:Setting {name: $name}) SET s.value = $value"
DELETE_SETTING = "MATCH (s:Setting {name: $name}) DELETE s"
# A decision that two people are different humans; each side is that person's marks (graphapp.domain.duplicates).
KEEP_APART = """MERGE (k:KeptApart {pk: $pk}) SET k.time = $time, k.actor = $actor, k.first_id = $first_id,
    k.second_id = $second_id, k.first_marks = $first_marks, k.second_marks = $second_marks"""
KEPT_APART = """MATCH (k:KeptApart) RETURN k.time AS time, k.actor AS actor, k.first_id AS first_id,
    k.second_id AS second_id, k.first_marks AS first_marks, k.second_marks AS second_marks ORDER BY k.pk"""
ADD_INTRO = """CREATE (:Intro {id: $id, rep_email: $rep_email, account_id: $account_id, connector_id: $connector_id,
    target_id: $target_id, score: $score, path: $path, draft: $draft, state: $state, created: $created,
    updated: $updated})"""
ADD_INTRO_EVENT = """MATCH (i:Intro {id: $intro_id}) SET i.state = $state, i.updated = $time
CREATE (:IntroEvent {intro_id: $intro_id, seq: $seq, state: $state, day: $day, note: $note, actor: $actor,
    time: $time}) RETURN i.id AS id"""
LIST_INTROS = """MATCH (i:Intro)
WHERE ($rep_email IS NULL OR i.rep_email = $rep_email) AND ($account_id IS NULL OR i.account_id = $account_id)
  AND ($ids IS NULL OR i.id IN $ids)
RETURN i {.*} AS intro ORDER BY i.created DESC, i.id"""
INTRO_EVENTS = """UNWIND $ids AS id MATCH (e:IntroEvent {intro_id: id})
RETURN e {.*} AS event ORDER BY e.seq"""

# -- reads ----------------------------------------------------------------------------------------------
COUNTS = """CALL { MATCH (n:Person) RETURN count(n) AS people }
CALL { MATCH (n:Organization) RETURN count(n) AS organizations }
CALL { MATCH ()-[r:TIE]->() RETURN count(r) AS relationships }
CALL { MATCH (n:Rep) RETURN count(n) AS reps }
CALL { MATCH (n:Import {status: 'committed'}) RETURN count(n) AS imports }
RETURN people, organizations, relationships, reps, imports"""
CONTRIBUTIONS = "MATCH ()-[r:TIE]->() RETURN r.owner AS owner, count(r) AS relationships"
LIST_IMPORTS = """MATCH (i:Import) WHERE i.status <> 'staging'
RETURN i.id AS id, i.time AS time, i.actor AS actor, i.kind AS kind, i.status AS status, i.files AS files,
    i.counts AS counts, i.seq AS seq ORDER BY i.seq DESC"""
PEOPLE_BY_KEYS = """UNWIND $keys AS key MATCH (k:PersonKey {key: key}) MATCH (p:Person {pk: k.pk})
RETURN key, p.id AS id, p.pk AS pk"""
ORGS_BY_KEYS = """UNWIND $keys AS key MATCH (k:OrgKey {key: key}) MATCH (o:Organization {pk: k.pk})
RETURN key, o.id AS id, o.pk AS pk"""
SOURCES_OF_PEOPLE = """UNWIND $ids AS id MATCH (p:Person {id: id})
MATCH (e:Evidence {subject: 'person', subject_pk: p.pk}) RETURN DISTINCT p.id AS id, e.sha256 AS sha256"""
TIES_OF_PERSON = "MATCH (:Person {id: $id})-[r:TIE]-(:Person)\n" + _TIES_AT
JOBS_OF_PERSON = f"""MATCH (p:Person {{id: $id}})-[j:WORKS_AT]->(o:Organization)
RETURN {_JOB_FIELDS}"""
CURRENT_JOBS_OF_PEOPLE = """UNWIND $pks AS pk MATCH (p:Person {pk: pk})-[j:WORKS_AT]->() WHERE j.current
RETURN p.pk AS person_pk, j.pk AS pk, j.as_of AS as_of"""
EVIDENCE_ROWS = """UNWIND $pks AS pk MATCH (e:Evidence {subject: $subject, subject_pk: pk})
RETURN e.subject_pk AS subject_pk, e.import_id AS import_id, e.file AS file, e.fact AS fact, e.owner AS owner,
    e.row AS row, e.sha256 AS sha256 ORDER BY e.pk"""
PERSON_PK = "MATCH (n:Person {id: $id}) RETURN n.pk AS pk"
ORG_PK = "MATCH (n:Organization {id: $id}) RETURN n.pk AS pk"
JOB_PK = """MATCH (:Person {id: $person_id})-[j:WORKS_AT {start: $start}]->(:Organization {id: $org_id})
RETURN j.pk AS pk"""
TIE_PK = """MATCH (:Person {id: $source_id})-[r:TIE {kind: $kind, owner: $owner}]->(:Person {id: $target_id})
RETURN r.pk AS pk"""
SEARCH_PEOPLE_BY_NAME = """MATCH (n:Person) WHERE all(w IN $words WHERE n.folded CONTAINS w)
RETURN n.pk AS pk, n.id AS id, n.name AS name LIMIT $limit"""
SEARCH_PEOPLE_BY_KEY = """MATCH (k:PersonKey) WHERE k.key STARTS WITH $prefix AND k.key CONTAINS $text
MATCH (n:Person {pk: k.pk}) RETURN n.pk AS pk, n.id AS id, n.name AS name, k.key AS key LIMIT $limit"""
SEARCH_ORGS_BY_NAME = """MATCH (n:Organization) WHERE all(w IN $words WHERE n.folded CONTAINS w)
RETURN n.pk AS pk, n.id AS id, n.name AS name LIMIT $limit"""
SEARCH_ORGS_BY_DOMAIN = """MATCH (k:OrgKey) WHERE k.key STARTS WITH 'domain:' AND k.key CONTAINS $text
MATCH (n:Organization {pk: k.pk}) RETURN n.pk AS pk, n.id AS id, n.name AS name, k.key AS key LIMIT $limit"""
PEOPLE_AT_ORGS = """UNWIND $pks AS pk MATCH (p:Person)-[j:WORKS_AT]->(:Organization {pk: pk})
RETURN p.pk AS pk, p.id AS id, p.name AS name, max(CASE WHEN j.current THEN 1 ELSE 0 END) AS current"""

# -- the whole graph, in pk order (``read_snapshot``, ``digest``, ``sync``) -------------------------------
SNAPSHOT_PEOPLE = ("MATCH (n:Person) RETURN n.pk AS pk, n.id AS id, n.name AS name, n.title AS title, "
                   "n.linkedin_url AS linkedin_url, n.location AS location, n.lists AS lists ORDER BY n.pk")
SNAPSHOT_ORGS = f"MATCH (n:Organization) RETURN {_ORG_FIELDS} ORDER BY n.pk"
SNAPSHOT_REPS = LIST_REPS + " ORDER BY r.email"
SNAPSHOT_TIES = f"MATCH (s:Person)-[r:TIE]->(t:Person) RETURN {_TIE_FIELDS} ORDER BY r.pk"
SNAPSHOT_JOBS = f"MATCH (p:Person)-[j:WORKS_AT]->(o:Organization) RETURN {_JOB_FIELDS} ORDER BY j.pk"

# -- one account's neighbourhood (``read_neighbourhood``) --------------------------------------------------
# A job is current unless the same person has a current job that a newer source reports (SQLite's CURRENT).
_CURRENT = "{j}.current AND NOT EXISTS {{ MATCH ({p})-[n:WORKS_AT]->() WHERE n.current AND n.as_of > {j}.as_of }}"
NEIGHBOURHOOD_START = f"""MATCH (o:Organization {{id: $account}})<-[j:WORKS_AT]-(p:Person)
WHERE {_CURRENT.format(j='j', p='p')}
RETURN DISTINCT p.pk AS pk"""
# One hop out of a frontier: the people tied to it, then the current colleagues at the organisations where
# it works now. The organisations are gathered first, so each one's staff is read (and each job's currency
# checked) once, not once per frontier person working there.
NEIGHBOURHOOD_TIED = """UNWIND $frontier AS pk
MATCH (:Person {pk: pk})-[:TIE]-(q:Person)
RETURN DISTINCT q.pk AS near"""
NEIGHBOURHOOD_COLLEAGUES = f"""UNWIND $frontier AS pk
MATCH (p:Person {{pk: pk}})-[j:WORKS_AT]->(o:Organization)
WHERE {_CURRENT.format(j='j', p='p')}
WITH DISTINCT o
MATCH (o)<-[k:WORKS_AT]-(q:Person)
WHERE {_CURRENT.format(j='k', p='q')}
RETURN DISTINCT q.pk AS near"""
NEIGHBOURHOOD_PEOPLE = ("UNWIND $pks AS pk MATCH (n:Person {pk: pk}) "
                        "RETURN n.pk AS pk, n.id AS id, n.name AS name, n.title AS title")
NEIGHBOURHOOD_TIES = TIES_OF_PEOPLE
NEIGHBOURHOOD_JOBS = f"""UNWIND $pks AS pk MATCH (p:Person {{pk: pk}})-[j:WORKS_AT]->(o:Organization)
RETURN {_JOB_FIELDS}, o.name AS org_name, o.flags AS org_flags"""
NEIGHBOURHOOD_ACCOUNT = "MATCH (n:Organization {id: $account}) RETURN n.pk AS pk, n.id AS id, n.name AS name, n.flags AS flags"

# -- job moves ------------------------------------------------------------------------------------------
LATEST_IMPORT = "MATCH (i:Import {status: 'committed'}) RETURN i.id AS id, i.seq AS seq ORDER BY i.seq DESC LIMIT 1"
JOBS_FIRST_SEEN = """UNWIND $pks AS pk
MATCH (e:Evidence {subject: 'employment', subject_pk: pk}) MATCH (i:Import {id: e.import_id, status: 'committed'})
RETURN pk, min(i.seq) AS first_seen"""
JOB_PKS_OF_IMPORT = """MATCH (e:Evidence {import_id: $import_id, subject: 'employment'}) WHERE e.subject_pk IS NOT NULL
RETURN DISTINCT e.subject_pk AS pk"""

# -- the identity rules (``identity_violations``, and an import before it is published) ----------------------
# Scoped variants start from the pks an import touched (``$pks``); the rest read the whole graph.
DOCTOR_PEOPLE = ("MATCH (n:Person) RETURN n.id AS id, n.name AS name, n.linkedin_url AS linkedin_url, "
                 "n.lists AS lists")
DOCTOR_PEOPLE_AT = ("UNWIND $pks AS pk MATCH (n:Person {pk: pk}) RETURN n.id AS id, n.name AS name, "
                    "n.linkedin_url AS linkedin_url, n.lists AS lists")
DOCTOR_REPS = """MATCH (r:Rep) OPTIONAL MATCH (p:Person {pk: r.person_pk})
RETURN r.email AS email, p.id AS id, p.name AS name"""
_NO_EVIDENCE = "NOT EXISTS {{ MATCH (e:Evidence {{subject: '{subject}', subject_pk: {node}.pk}}) }}"
_PERSON_BARE = (_NO_EVIDENCE.format(subject="person", node="n")
                + " AND NOT EXISTS { MATCH (r:Rep {person_pk: n.pk}) } RETURN n.id AS id, n.name AS name")
DOCTOR_PEOPLE_BARE = "MATCH (n:Person) WHERE " + _PERSON_BARE
DOCTOR_PEOPLE_BARE_AT = "UNWIND $pks AS pk MATCH (n:Person {pk: pk}) WHERE " + _PERSON_BARE
_ORG_BARE = _NO_EVIDENCE.format(subject="organization", node="n") + " RETURN n.id AS id, n.name AS name"
DOCTOR_ORGS_BARE = "MATCH (n:Organization) WHERE " + _ORG_BARE
DOCTOR_ORGS_BARE_AT = "UNWIND $pks AS pk MATCH (n:Organization {pk: pk}) WHERE " + _ORG_BARE
_TIE_CHECK = ("RETURN s.id AS source_id, s.name AS source_name, t.id AS target_id, r.kind AS kind, r.owner AS owner, "
              "s = t AS loop, " + _NO_EVIDENCE.format(subject="relationship", node="r") + " AS bare")
_TIE_PROBLEM = "WHERE s = t OR " + _NO_EVIDENCE.format(subject="relationship", node="r")
DOCTOR_TIES = f"MATCH (s:Person)-[r:TIE]->(t:Person) {_TIE_PROBLEM} {_TIE_CHECK}"
DOCTOR_TIES_AT = f"UNWIND $pks AS pk MATCH (s:Person)-[r:TIE {{pk: pk}}]->(t:Person) {_TIE_PROBLEM} {_TIE_CHECK}"
_EVIDENCE_FILES = """UNWIND $ids AS id MATCH (n:{label} {{id: id}})
MATCH (e:Evidence {{subject: '{subject}', subject_pk: n.pk}})
RETURN n.id AS id, e.file AS file, e.owner AS owner, min(e.pk) AS first ORDER BY first"""
EVIDENCE_FILES = {"person": _EVIDENCE_FILES.format(label="Person", subject="person"),
                  "organization": _EVIDENCE_FILES.format(label="Organization", subject="organization")}

# -- copying a whole store (``graphapp sync``) ------------------------------------------------------------
DUMP_EVIDENCE = """MATCH (e:Evidence) WHERE e.subject_pk IS NOT NULL
RETURN e.pk AS pk, e.import_id AS import_id, e.subject AS subject, e.subject_pk AS subject_pk, e.file AS file,
    e.sha256 AS sha256, e.row AS row, e.fact AS fact, e.owner AS owner, e.snapshot AS snapshot ORDER BY e.pk"""
LOAD_IMPORTS = """UNWIND $rows AS row
CREATE (:Import {id: row.id, seq: row.seq, time: row.time, actor: row.actor, kind: row.kind, status: row.status,
    files: row.files, counts: row.counts, batches: 0})"""
LOAD_EVIDENCE = """UNWIND $rows AS row
CREATE (:Evidence {pk: row.pk, import_id: row.import_id, batch: 0, subject: row.subject, subject_key: null,
    subject_pk: row.subject_pk, file: row.file, sha256: row.sha256, row: row.row, fact: row.fact, owner: row.owner,
    snapshot: row.snapshot})"""

# -- clean-up (the live tests, and sync into a store that must be empty) ----------------------------------
DELETE_ALL = """MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels)
WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"""


def batches(rows: Sequence[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` rows: the ``$rows`` of one ``UNWIND`` statement each.

    Raises:
        ValueError: ``size`` below 1.
    """
    if size < 1:
        raise ValueError(f"a batch holds at least one row, got {size}")
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])

# -- forgetting a person (everything about them, for every rep) --------------------------------------
FORGET_FACTS = """MATCH (p:Person {id: $id})
OPTIONAL MATCH (p)-[r:TIE]-(:Person)
WITH p, collect(DISTINCT r.pk) AS ties
OPTIONAL MATCH (p)-[j:WORKS_AT]->(:Organization)
WITH p, ties, collect(DISTINCT j.pk) AS jobs
OPTIONAL MATCH (k:PersonKey {pk: p.pk})
RETURN p.pk AS pk, p.lists AS lists, ties, jobs, collect(DISTINCT k.key) AS keys,
       EXISTS { MATCH (:Rep {person_pk: p.pk}) } AS is_rep"""
FORGET_EVIDENCE = """UNWIND $subjects AS s
MATCH (e:Evidence {subject: s.subject, subject_pk: s.pk}) DETACH DELETE e
RETURN count(e) AS removed"""
FORGET_INTROS = """MATCH (i:Intro) WHERE i.connector_id = $id OR i.target_id = $id OR i.path CONTAINS $quoted
OPTIONAL MATCH (ev:IntroEvent {intro_id: i.id})
DETACH DELETE ev, i
RETURN count(DISTINCT i) AS removed"""
FORGET_PERSON = """MATCH (p:Person {pk: $pk})
OPTIONAL MATCH (k:PersonKey {pk: $pk})
DETACH DELETE k, p
RETURN count(DISTINCT k) AS keys"""

# -- the suppression list: (:Suppressed {hash, time, actor}), salted with the audit log's salt ----------
SUPPRESS = """UNWIND $rows AS row MERGE (s:Suppressed {hash: row.hash})
ON CREATE SET s.time = row.time, s.actor = row.actor"""
SUPPRESSED_AMONG = "UNWIND $hashes AS h MATCH (s:Suppressed {hash: h}) RETURN s.hash AS hash"
LIST_SUPPRESSED = "MATCH (s:Suppressed) RETURN s.hash AS hash, s.time AS time, s.actor AS actor ORDER BY s.time DESC, s.hash"
UNSUPPRESS = "MATCH (s:Suppressed {hash: $hash}) DELETE s RETURN count(*) AS removed"
SALT = "MATCH (c:GraphMeta {key: 'audit'}) RETURN c.salt AS salt"
SET_SALT = "MERGE (c:GraphMeta {key: 'audit'}) ON CREATE SET c.next = 0 SET c.salt = $salt"

# -- who sees a rep's relationships ----------------------------------------------------------------
SET_PERSON_VISIBILITY = """MATCH (:Person {pk: $pk})-[r:TIE {owner: $owner}]-(:Person)
SET r.visibility = $visibility RETURN count(r) AS changed"""
