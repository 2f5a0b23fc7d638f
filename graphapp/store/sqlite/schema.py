"""The SQLite store's schema as forward migrations, one per schema version (``PRAGMA user_version``).

Migration ``n`` takes a database from version ``n`` to ``n + 1``; :func:`migrate` runs the missing ones
in one transaction, so a failing migration leaves the old schema. Never edit a published migration:
append a new one.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x47415050  # "GAPP": marks a SQLite file as a graphapp database

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the graph, its evidence and its imports.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('data_version', '0');

    CREATE TABLE imports (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        files TEXT NOT NULL,          -- JSON list of {name, size, sha256, format}
        counts TEXT NOT NULL          -- JSON object
    );

    CREATE TABLE people (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        linkedin_url TEXT,
        title TEXT,
        location TEXT,
        lists TEXT NOT NULL           -- JSON {name_variants, emails, phones}
    );
    CREATE TABLE person_keys (        -- lookup keys: 'email:...', 'linkedin:...'
        key TEXT NOT NULL,
        person_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
        PRIMARY KEY (key, person_pk)
    ) WITHOUT ROWID;
    CREATE INDEX person_keys_person ON person_keys(person_pk);

    CREATE TABLE organizations (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        flags INTEGER NOT NULL DEFAULT 0,   -- 1 customer, 2 target, 4 partner
        lists TEXT NOT NULL                 -- JSON {aliases, domains}
    );

    CREATE TABLE reps (
        person_pk INTEGER PRIMARY KEY REFERENCES people(pk),
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL DEFAULT 'rep'
    );

    CREATE TABLE employments (
        pk INTEGER PRIMARY KEY,
        person_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
        org_pk INTEGER NOT NULL REFERENCES organizations(pk) ON DELETE CASCADE,
        start TEXT NOT NULL DEFAULT '',
        end_date TEXT,
        title TEXT,
        current INTEGER NOT NULL,
        UNIQUE (person_pk, org_pk, start)
    );
    CREATE INDEX employments_org ON employments(org_pk);

    CREATE TABLE relationships (
        pk INTEGER PRIMARY KEY,
        source_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
        target_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        owner TEXT NOT NULL,
        visibility TEXT NOT NULL,
        profession TEXT,
        first_seen TEXT,
        last_interaction TEXT,
        count_out INTEGER NOT NULL DEFAULT 0,
        count_in INTEGER NOT NULL DEFAULT 0,
        strength_override REAL,
        UNIQUE (source_pk, target_pk, kind, owner),
        CHECK (source_pk <> target_pk),
        CHECK (strength_override IS NULL OR (strength_override > 0 AND strength_override <= 1))
    );
    CREATE INDEX relationships_target ON relationships(target_pk);

    -- One row per (import, subject, source row, fact). 'snapshot' is the value as that row asserted
    -- it, so entities can be re-folded from what remains after an undo.
    CREATE TABLE evidence (
        pk INTEGER PRIMARY KEY,
        import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        subject TEXT NOT NULL,          -- person | organization | employment | relationship
        subject_pk INTEGER NOT NULL,
        file TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        row INTEGER,
        fact TEXT NOT NULL,
        owner TEXT NOT NULL,
        snapshot TEXT NOT NULL
    );
    CREATE UNIQUE INDEX evidence_once ON evidence(import_id, subject, subject_pk, file_sha256, ifnull(row, -1), fact);
    CREATE INDEX evidence_subject ON evidence(subject, subject_pk);
    """,
    # 1 -> 2: organisation lookup keys, target-account owner and priority, the date a job was last seen current.
    """
    CREATE TABLE org_keys (            -- lookup keys: 'org:<org key>', 'domain:<domain>'
        key TEXT NOT NULL,
        org_pk INTEGER NOT NULL REFERENCES organizations(pk) ON DELETE CASCADE,
        PRIMARY KEY (key, org_pk)
    ) WITHOUT ROWID;
    CREATE INDEX org_keys_org ON org_keys(org_pk);
    ALTER TABLE organizations ADD COLUMN target_owner TEXT;
    ALTER TABLE organizations ADD COLUMN priority TEXT;
    ALTER TABLE employments ADD COLUMN as_of TEXT;
    """,
    # 2 -> 3: evidence names its file by an integer id (``import_files``) instead of repeating the file's
    # name and SHA-256 on every row, and its uniqueness key shrinks to small values: an import's
    # evidence index was most of its write time. ``content_id`` is the import's first file with the
    # same bytes, so two names for one content still count as one source, as the SHA-256 did.
    """
    CREATE TABLE import_files (
        id INTEGER PRIMARY KEY,
        import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        UNIQUE (import_id, sha256, name)
    );
    CREATE INDEX import_files_sha ON import_files(sha256);
    INSERT INTO import_files (import_id, name, sha256)
        SELECT e.import_id, e.file, e.file_sha256 FROM evidence e JOIN imports i ON i.id = e.import_id
        GROUP BY e.import_id, e.file_sha256, e.file ORDER BY min(i.seq), min(e.pk);

    CREATE TABLE evidence_v3 (
        pk INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,          -- person | organization | employment | relationship
        subject_pk INTEGER NOT NULL,
        file_id INTEGER NOT NULL REFERENCES import_files(id) ON DELETE CASCADE,
        content_id INTEGER NOT NULL,    -- import_files id of the import's first file with these bytes
        row INTEGER,
        fact TEXT NOT NULL,
        owner TEXT NOT NULL,
        snapshot TEXT NOT NULL
    );
    INSERT INTO evidence_v3 (pk, subject, subject_pk, file_id, content_id, row, fact, owner, snapshot)
        SELECT e.pk, e.subject, e.subject_pk, f.id,
               (SELECT min(c.id) FROM import_files c WHERE c.import_id = f.import_id AND c.sha256 = f.sha256),
               e.row, e.fact, e.owner, e.snapshot
        FROM evidence e JOIN import_files f ON f.import_id = e.import_id AND f.sha256 = e.file_sha256 AND f.name = e.file
        ORDER BY e.pk;
    DROP TABLE evidence;
    ALTER TABLE evidence_v3 RENAME TO evidence;
    -- (subject, subject_pk) leads, so it also serves lookups of a subject's evidence.
    CREATE UNIQUE INDEX evidence_once ON evidence(subject, subject_pk, content_id, ifnull(row, -1), fact);
    CREATE INDEX evidence_content ON evidence(content_id, subject, subject_pk);
    """,
    # 3 -> 4: the team's own records next to the graph: settings saved from the app, and introduction
    # requests with the history of their states. People are named by id (not pk): a request outlives
    # merges and undone imports as what it was.
    """
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE intros (
        id TEXT PRIMARY KEY,
        rep_email TEXT NOT NULL,
        account_id TEXT NOT NULL,
        connector_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        score REAL,
        path TEXT NOT NULL,             -- JSON: the path as `graphapp paths --json` prints it
        draft TEXT,
        state TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX intros_rep ON intros(rep_email, state);
    CREATE INDEX intros_connector ON intros(connector_id);
    CREATE INDEX intros_target ON intros(target_id);
    CREATE TABLE intro_events (
        pk INTEGER PRIMARY KEY,
        intro_id TEXT NOT NULL REFERENCES intros(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        day TEXT NOT NULL,
        note TEXT,
        actor TEXT NOT NULL,
        time TEXT NOT NULL
    );
    CREATE INDEX intro_events_intro ON intro_events(intro_id);
    """,
    # 4 -> 5: the append-only audit log (ids and counts, never contact details) and the suppression list
    # of forgotten people (salted hashes of their normalised e-mails), which blocks their re-import.
    """
    CREATE TABLE audit (
        pk INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        objects TEXT NOT NULL DEFAULT '[]',   -- JSON list of ids
        counts TEXT NOT NULL DEFAULT '{}'     -- JSON object
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE suppressed (
        hash TEXT PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL
    );
    """,
    # 5 -> 6: no index of evidence by import. Every import paid for it on each evidence row (a tenth
    # of a large import's time) so that undo could find its rows; undo now reads the evidence table
    # through (a second per few million rows, and rare), and an import counts what it added itself.
    """
    DROP INDEX IF EXISTS evidence_content;
    """,
    # 6 -> 7: a person's lookup keys go with the person by a trigger instead of a foreign key. The
    # foreign key made SQLite look the person up for each key an import writes, and kept keys from
    # being written as multi-row statements (there it made them slower, not faster): 0.35 s of an
    # import of 100,000 contacts. Keys are only written for people the import has just read or
    # written, so the lookup never found anything wrong; what the key still needs is to leave with
    # its person, and the trigger does that even with foreign keys off.
    """
    CREATE TABLE person_keys_v7 (
        key TEXT NOT NULL,
        person_pk INTEGER NOT NULL,     -- people(pk); deleted with the person (person_keys_follow_people)
        PRIMARY KEY (key, person_pk)
    ) WITHOUT ROWID;
    INSERT INTO person_keys_v7 (key, person_pk) SELECT key, person_pk FROM person_keys;
    DROP TABLE person_keys;
    ALTER TABLE person_keys_v7 RENAME TO person_keys;
    CREATE INDEX person_keys_person ON person_keys(person_pk);
    CREATE TRIGGER person_keys_follow_people AFTER DELETE ON people
    BEGIN DELETE FROM person_keys WHERE person_pk = old.pk; END;
    """,
    # 7 -> 8: decisions from the review of possible duplicates that two people are different humans. Each
    # side is kept as that person's marks (graphapp.domain.duplicates.identity_marks: hashes of their id,
    # lookup keys and source rows), not by pk or id alone: ids change with merges and with undone and
    # re-imported files, and the decision must still hold then. The ids are those at the time, for people.
    """
    CREATE TABLE kept_apart (
        pk INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        first_id TEXT NOT NULL,
        second_id TEXT NOT NULL,
        first_marks TEXT NOT NULL,      -- JSON list of marks
        second_marks TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Bring a database at schema ``current`` to :data:`SCHEMA_VERSION` in one transaction."""
    if current >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(current, SCHEMA_VERSION):
            for statement in split_statements(MIGRATIONS[version]):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def split_statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit the open transaction)."""
    statements, buffer = [], ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return [s for s in statements if s.strip(";").strip()]
