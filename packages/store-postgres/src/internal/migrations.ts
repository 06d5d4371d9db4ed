/**
 * The versioned schema of the PostgreSQL store. Append a migration, never edit one that shipped.
 *
 * `kho_append` is the whole append in one round trip: it locks the head row (appends serialise on
 * the chain head, so commit order = position order and readers never see a gap), checks that the
 * client sealed against the current head, checks command ids and stream versions, and inserts; on
 * any mismatch it writes nothing and says what it found, so the client can reseal and retry.
 *
 * `kho_append_v2` (migration 2) makes the same checks and head/command-id writes but leaves the
 * events to the statement that calls it, which inserts them from parameters (`VALUES`) only when it
 * answers NULL: PostgreSQL takes typed parameters several times faster than it unpacks a JSON
 * array with `json_to_recordset` (about 10 µs per event less on a 100-event append).
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "event log, head, command ids, checkpoints, kho_append",
    sql: `
      CREATE TABLE kho_events (
        global_position bigint  PRIMARY KEY,
        stream_id       text    NOT NULL,
        stream_version  integer NOT NULL,
        type            text    NOT NULL,
        schema_version  integer NOT NULL,
        data            json    NOT NULL,
        recorded_at     text    NOT NULL,
        actor           json    NOT NULL,
        command_id      text    NOT NULL,
        correlation_id  text    NOT NULL,
        causation_id    text,
        previous_hash   text    NOT NULL,
        hash            text    NOT NULL,
        UNIQUE (stream_id, stream_version)
      );
      CREATE TABLE kho_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        position  bigint  NOT NULL,
        hash      text    NOT NULL
      );
      INSERT INTO kho_head (position, hash) VALUES (0, repeat('0', 64));
      CREATE TABLE kho_commands (
        command_id            text    PRIMARY KEY,
        stream_id             text    NOT NULL,
        first_position        bigint  NOT NULL,
        last_position         bigint  NOT NULL,
        next_expected_version integer NOT NULL,
        head_hash             text    NOT NULL
      );
      CREATE TABLE kho_checkpoints (
        projection text   PRIMARY KEY,
        position   bigint NOT NULL
      );
      CREATE FUNCTION kho_append(
        p_head bigint, p_head_hash text, p_new_head bigint, p_new_hash text, p_appends json, p_events json
      ) RETURNS json LANGUAGE plpgsql AS $$
      DECLARE
        head_position bigint;
        head_hash text;
        pending record;
        known record;
        current_version integer;
        issues json[] := ARRAY[]::json[];
      BEGIN
        SELECT position, hash INTO head_position, head_hash FROM kho_head WHERE singleton FOR UPDATE;
        IF head_position <> p_head OR head_hash <> p_head_hash THEN
          RETURN json_build_object('head', head_position, 'hash', head_hash);
        END IF;
        FOR pending IN SELECT * FROM json_to_recordset(p_appends) AS x(i integer, stream text, assumed integer, command text) LOOP
          SELECT * INTO known FROM kho_commands WHERE command_id = pending.command;
          IF FOUND THEN
            issues := issues || json_build_object('i', pending.i, 'done', json_build_object(
              'streamId', known.stream_id, 'firstPosition', known.first_position, 'lastPosition', known.last_position,
              'nextExpectedVersion', known.next_expected_version, 'headHash', known.head_hash));
            CONTINUE;
          END IF;
          SELECT coalesce(max(stream_version), 0) INTO current_version FROM kho_events WHERE stream_id = pending.stream;
          IF current_version <> pending.assumed THEN
            issues := issues || json_build_object('i', pending.i, 'actual', current_version);
          END IF;
        END LOOP;
        IF cardinality(issues) > 0 THEN
          RETURN json_build_object('issues', to_json(issues));
        END IF;
        INSERT INTO kho_events (global_position, stream_id, stream_version, type, schema_version, data, recorded_at,
                                actor, command_id, correlation_id, causation_id, previous_hash, hash)
          SELECT p, s, v, t, sv, d::json, r, a::json, c, co, ca, ph, h
          FROM json_to_recordset(p_events) AS e(p bigint, s text, v integer, t text, sv integer, d text, r text,
                                                 a text, c text, co text, ca text, ph text, h text);
        INSERT INTO kho_commands (command_id, stream_id, first_position, last_position, next_expected_version, head_hash)
          SELECT command, stream, first, last, next, hash
          FROM json_to_recordset(p_appends) AS x(command text, stream text, first bigint, last bigint, next integer, hash text);
        UPDATE kho_head SET position = p_new_head, hash = p_new_hash WHERE singleton;
        PERFORM pg_notify('kho_events:' || current_schema(), p_new_head::text);
        RETURN NULL;
      END $$;
    `
  },
  {
    version: 2,
    name: "kho_append_v2: the events come from the calling statement's parameters",
    sql: `
      CREATE FUNCTION kho_append_v2(
        p_head bigint, p_head_hash text, p_new_head bigint, p_new_hash text, p_appends json
      ) RETURNS json LANGUAGE plpgsql AS $$
      DECLARE
        head_position bigint;
        head_hash text;
        pending record;
        known record;
        current_version integer;
        issues json[] := ARRAY[]::json[];
      BEGIN
        SELECT position, hash INTO head_position, head_hash FROM kho_head WHERE singleton FOR UPDATE;
        IF head_position <> p_head OR head_hash <> p_head_hash THEN
          RETURN json_build_object('head', head_position, 'hash', head_hash);
        END IF;
        FOR pending IN SELECT * FROM json_to_recordset(p_appends) AS x(i integer, stream text, assumed integer, command text) LOOP
          SELECT * INTO known FROM kho_commands WHERE command_id = pending.command;
          IF FOUND THEN
            issues := issues || json_build_object('i', pending.i, 'done', json_build_object(
              'streamId', known.stream_id, 'firstPosition', known.first_position, 'lastPosition', known.last_position,
              'nextExpectedVersion', known.next_expected_version, 'headHash', known.head_hash));
            CONTINUE;
          END IF;
          SELECT coalesce(max(stream_version), 0) INTO current_version FROM kho_events WHERE stream_id = pending.stream;
          IF current_version <> pending.assumed THEN
            issues := issues || json_build_object('i', pending.i, 'actual', current_version);
          END IF;
        END LOOP;
        IF cardinality(issues) > 0 THEN
          RETURN json_build_object('issues', to_json(issues));
        END IF;
        INSERT INTO kho_commands (command_id, stream_id, first_position, last_position, next_expected_version, head_hash)
          SELECT command, stream, first, last, next, hash
          FROM json_to_recordset(p_appends) AS x(command text, stream text, first bigint, last bigint, next integer, hash text);
        UPDATE kho_head SET position = p_new_head, hash = p_new_hash WHERE singleton;
        PERFORM pg_notify('kho_events:' || current_schema(), p_new_head::text);
        RETURN NULL;
      END $$;
    `
  },
  {
    version: 3,
    name: "notification outbox",
    sql: `
      CREATE TABLE kho_outbox (
        seq                bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id                 text    NOT NULL UNIQUE,
        channel            text    NOT NULL,
        kind               text    NOT NULL,
        dossier_id         text    NOT NULL,
        dossier_number     text    NOT NULL,
        owner_id           text    NOT NULL,
        text               text    NOT NULL,
        source_position    bigint  NOT NULL,
        source_hash        text    NOT NULL,
        created_at         text    NOT NULL,
        status             text    NOT NULL,
        attempts           integer NOT NULL,
        last_attempt_at    text,
        last_error         text,
        sent_at            text,
        provider_reference text
      );
      CREATE INDEX kho_outbox_status ON kho_outbox (status, seq);
    `
  }
]
