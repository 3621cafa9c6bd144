namespace ActorRecorder.Persistence.Sql.Sqlite;

/// <summary>
/// The SQLite schema, version <see cref="Version"/>. Columns follow Akka.Persistence.Sql's journal
/// (plus <c>deleted</c>, which keeps the highest row of a persistence id after a delete so its
/// sequence numbers are never reused). Created on first use; a newer version in the file is refused.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    public const string CreateVersionTable = "CREATE TABLE IF NOT EXISTS persistence_schema_version (version INTEGER NOT NULL);";

    public const string ReadVersion = "SELECT MAX(version) FROM persistence_schema_version;";

    public const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS journal (
            ordering INTEGER PRIMARY KEY AUTOINCREMENT,
            persistence_id TEXT NOT NULL,
            sequence_nr INTEGER NOT NULL,
            created INTEGER NOT NULL,
            manifest TEXT NOT NULL,
            payload BLOB NOT NULL,
            tags TEXT NULL,
            writer TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX IF NOT EXISTS journal_persistence_id_sequence_nr ON journal (persistence_id, sequence_nr);
        CREATE TABLE IF NOT EXISTS snapshot (
            persistence_id TEXT NOT NULL,
            sequence_nr INTEGER NOT NULL,
            created INTEGER NOT NULL,
            manifest TEXT NOT NULL,
            snapshot BLOB NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)
        );
        INSERT INTO persistence_schema_version (version) VALUES (1);
        """;

    public const string Insert = """
        INSERT INTO journal (persistence_id, sequence_nr, created, manifest, payload, tags, writer)
        VALUES ($pid, $seq, $created, $manifest, $payload, $tags, $writer);
        """;

    public const string Replay = """
        SELECT sequence_nr, created, manifest, payload, tags, writer FROM journal
        WHERE persistence_id = $pid AND sequence_nr >= $from AND sequence_nr <= $to AND deleted = 0
        ORDER BY sequence_nr LIMIT $max;
        """;

    public const string Highest = "SELECT COALESCE(MAX(sequence_nr), 0) FROM journal WHERE persistence_id = $pid;";

    // Physically deletes all but the highest row, which is only marked, so the highest number stays known.
    public const string DeleteTo = """
        DELETE FROM journal WHERE persistence_id = $pid AND sequence_nr <= $to
            AND sequence_nr < (SELECT MAX(sequence_nr) FROM journal WHERE persistence_id = $pid);
        UPDATE journal SET deleted = 1 WHERE persistence_id = $pid AND sequence_nr <= $to;
        """;

    public const string EventsByPersistenceId = """
        SELECT ordering, persistence_id, sequence_nr, created, manifest, payload, tags, writer FROM journal
        WHERE persistence_id = $pid AND sequence_nr >= $from AND sequence_nr <= $to AND deleted = 0
        ORDER BY sequence_nr LIMIT $limit;
        """;

    public const string EventsByTag = """
        SELECT ordering, persistence_id, sequence_nr, created, manifest, payload, tags, writer FROM journal
        WHERE tags LIKE $pattern ESCAPE '\' AND ordering > $after AND deleted = 0
        ORDER BY ordering LIMIT $limit;
        """;

    public const string SaveSnapshot = """
        INSERT INTO snapshot (persistence_id, sequence_nr, created, manifest, snapshot) VALUES ($pid, $seq, $created, $manifest, $snapshot)
        ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET created = excluded.created, manifest = excluded.manifest, snapshot = excluded.snapshot;
        """;

    public const string LoadSnapshot = """
        SELECT sequence_nr, created, manifest, snapshot FROM snapshot
        WHERE persistence_id = $pid AND sequence_nr <= $maxSeq AND sequence_nr >= $minSeq AND created <= $maxTs AND created >= $minTs
        ORDER BY sequence_nr DESC, created DESC LIMIT 1;
        """;

    public const string DeleteSnapshot = "DELETE FROM snapshot WHERE persistence_id = $pid AND sequence_nr = $seq;";

    public const string DeleteSnapshots = """
        DELETE FROM snapshot
        WHERE persistence_id = $pid AND sequence_nr <= $maxSeq AND sequence_nr >= $minSeq AND created <= $maxTs AND created >= $minTs;
        """;
}
