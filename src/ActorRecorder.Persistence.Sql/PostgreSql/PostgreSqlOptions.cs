namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>Where and how the PostgreSQL journal and snapshot store keep their data.</summary>
/// <param name="ConnectionString">An Npgsql connection string.</param>
public sealed record PostgreSqlOptions(string ConnectionString)
{
    /// <summary>The schema holding the tables (created when missing): lower-case letters, digits and '_'.</summary>
    public string Schema { get; init; } = "public";

    /// <summary>Events written in one transaction at most (group commit).</summary>
    public int MaxEventsPerBatch { get; init; } = 5000;

    /// <summary>Replays and queries running at once at most (the rest wait for a slot).</summary>
    public int MaxConcurrentReads { get; init; } = 8;

    /// <summary>Fences every write with a condition checked in its transaction (null: no fencing).</summary>
    public IWriteGuard? WriteGuard { get; init; }
}
