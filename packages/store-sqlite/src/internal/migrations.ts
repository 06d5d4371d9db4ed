/**
 * The versioned schema of the SQLite file. Append a migration, never edit one that shipped: a file
 * records the versions it has applied in `kho_schema_migrations`.
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "event log, command ids, checkpoints",
    sql: `
      CREATE TABLE kho_events (
        global_position INTEGER PRIMARY KEY,
        stream_id       TEXT    NOT NULL,
        stream_version  INTEGER NOT NULL,
        type            TEXT    NOT NULL,
        schema_version  INTEGER NOT NULL,
        data            TEXT    NOT NULL,
        recorded_at     TEXT    NOT NULL,
        actor           TEXT    NOT NULL,
        command_id      TEXT    NOT NULL,
        correlation_id  TEXT    NOT NULL,
        causation_id    TEXT,
        previous_hash   TEXT    NOT NULL,
        hash            TEXT    NOT NULL,
        UNIQUE (stream_id, stream_version)
      );
      CREATE TABLE kho_commands (
        command_id            TEXT    PRIMARY KEY,
        stream_id             TEXT    NOT NULL,
        first_position        INTEGER NOT NULL,
        last_position         INTEGER NOT NULL,
        next_expected_version INTEGER NOT NULL,
        head_hash             TEXT    NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE kho_checkpoints (
        projection TEXT    PRIMARY KEY,
        position   INTEGER NOT NULL
      ) WITHOUT ROWID;
    `
  },
  {
    version: 2,
    name: "notification outbox",
    sql: `
      CREATE TABLE kho_outbox (
        seq                INTEGER PRIMARY KEY,
        id                 TEXT    NOT NULL UNIQUE,
        channel            TEXT    NOT NULL,
        kind               TEXT    NOT NULL,
        dossier_id         TEXT    NOT NULL,
        dossier_number     TEXT    NOT NULL,
        owner_id           TEXT    NOT NULL,
        text               TEXT    NOT NULL,
        source_position    INTEGER NOT NULL,
        source_hash        TEXT    NOT NULL,
        created_at         TEXT    NOT NULL,
        status             TEXT    NOT NULL,
        attempts           INTEGER NOT NULL,
        last_attempt_at    TEXT,
        last_error         TEXT,
        sent_at            TEXT,
        provider_reference TEXT
      );
      CREATE INDEX kho_outbox_status ON kho_outbox (status, seq);
    `
  }
]
