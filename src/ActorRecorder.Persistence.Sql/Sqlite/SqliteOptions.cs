namespace ActorRecorder.Persistence.Sql.Sqlite;

/// <summary>Where and how the SQLite journal and snapshot store keep their data.</summary>
/// <param name="FilePath">The database file (created with its directory when missing).</param>
public sealed record SqliteOptions(string FilePath)
{
    /// <summary>The default file inside a node's data directory.</summary>
    public static SqliteOptions InDataDirectory(string dataDirectory) => new(Path.Combine(dataDirectory, "journal.db"));

    /// <summary>Events written in one transaction at most (group commit).</summary>
    public int MaxEventsPerBatch { get; init; } = 2000;

    /// <summary>Reader connections (replays and queries run in parallel on them).</summary>
    public int MaxReaders { get; init; } = 4;

    /// <summary>How long a statement waits for a lock held by another process before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
