namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>
/// The PostgreSQL schema, version <see cref="Version"/>, in the configured schema. Columns follow
/// Akka.Persistence.Sql's journal (plus <c>deleted</c>, which keeps the highest row of a persistence
/// id after a delete). Created on first use under an advisory lock, so nodes starting together
/// create it once; a newer version in the database is refused.
/// </summary>
internal sealed class PostgreSqlSchema(string schema)
{
    public const int Version = 1;

    /// <summary>Serializes schema creation across processes (an arbitrary constant key).</summary>
    public const long CreationLockKey = 0x4143_5452_5052;

    public string CreateVersionTable { get; } = $"""
        SELECT pg_advisory_xact_lock({CreationLockKey});
        CREATE SCHEMA IF NOT EXISTS "{schema}";
        CREATE TABLE IF NOT EXISTS "{schema}".persistence_schema_version (version INTEGER NOT NULL);
        """;

    public string ReadVersion { get; } = $"""SELECT COALESCE(MAX(version), 0) FROM "{schema}".persistence_schema_version;""";

    public string CreateV1 { get; } = $"""
        CREATE TABLE "{schema}".journal (
            ordering BIGSERIAL NOT NULL PRIMARY KEY,
            persistence_id TEXT NOT NULL,
            sequence_nr BIGINT NOT NULL,
            created BIGINT NOT NULL,
            manifest TEXT NOT NULL,
            payload BYTEA NOT NULL,
            tags TEXT NULL,
            writer TEXT NOT NULL,
            deleted BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE UNIQUE INDEX journal_persistence_id_sequence_nr_idx ON "{schema}".journal (persistence_id, sequence_nr);
        CREATE TABLE "{schema}".snapshot (
            persistence_id TEXT NOT NULL,
            sequence_nr BIGINT NOT NULL,
            created BIGINT NOT NULL,
            manifest TEXT NOT NULL,
            snapshot BYTEA NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)
        );
        INSERT INTO "{schema}".persistence_schema_version (version) VALUES (1);
        """;

    /// <summary>All rows of a batch in one statement; unnest keeps array order, so ordering follows it.</summary>
    public string Insert { get; } = $"""
        INSERT INTO "{schema}".journal (persistence_id, sequence_nr, created, manifest, payload, tags, writer)
        SELECT * FROM unnest(@pids, @seqs, @created, @manifests, @payloads, @tags, @writers);
        """;

    public string Replay { get; } = $"""
        SELECT sequence_nr, created, manifest, payload, tags, writer FROM "{schema}".journal
        WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND NOT deleted
        ORDER BY sequence_nr LIMIT @max;
        """;

    public string Highest { get; } = $"""SELECT COALESCE(MAX(sequence_nr), 0) FROM "{schema}".journal WHERE persistence_id = @pid;""";

    public string DeleteTo { get; } = $"""
        DELETE FROM "{schema}".journal WHERE persistence_id = @pid AND sequence_nr <= @to
            AND sequence_nr < (SELECT MAX(sequence_nr) FROM "{schema}".journal WHERE persistence_id = @pid);
        """;

    public string MarkDeleted { get; } = $"""UPDATE "{schema}".journal SET deleted = TRUE WHERE persistence_id = @pid AND sequence_nr <= @to;""";

    public string EventsByPersistenceId { get; } = $"""
        SELECT ordering, persistence_id, sequence_nr, created, manifest, payload, tags, writer FROM "{schema}".journal
        WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND NOT deleted
        ORDER BY sequence_nr LIMIT @limit;
        """;

    public string EventsByTag { get; } = $"""
        SELECT ordering, persistence_id, sequence_nr, created, manifest, payload, tags, writer FROM "{schema}".journal
        WHERE tags LIKE @pattern AND ordering > @after AND NOT deleted
        ORDER BY ordering LIMIT @limit;
        """;

    public string SaveSnapshot { get; } = $"""
        INSERT INTO "{schema}".snapshot (persistence_id, sequence_nr, created, manifest, snapshot) VALUES (@pid, @seq, @created, @manifest, @snapshot)
        ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET created = EXCLUDED.created, manifest = EXCLUDED.manifest, snapshot = EXCLUDED.snapshot;
        """;

    public string LoadSnapshot { get; } = $"""
        SELECT sequence_nr, created, manifest, snapshot FROM "{schema}".snapshot
        WHERE persistence_id = @pid AND sequence_nr <= @maxSeq AND sequence_nr >= @minSeq AND created <= @maxTs AND created >= @minTs
        ORDER BY sequence_nr DESC, created DESC LIMIT 1;
        """;

    public string DeleteSnapshot { get; } = $"""DELETE FROM "{schema}".snapshot WHERE persistence_id = @pid AND sequence_nr = @seq;""";

    public string DeleteSnapshots { get; } = $"""
        DELETE FROM "{schema}".snapshot
        WHERE persistence_id = @pid AND sequence_nr <= @maxSeq AND sequence_nr >= @minSeq AND created <= @maxTs AND created >= @minTs;
        """;
}
