using Npgsql;

namespace ActorRecorder.Persistence.Sql.PostgreSql;

/// <summary>
/// Fencing for journal writes (the cluster's shard leases): for each write, the journal asks the
/// guard for a condition and runs it inside the write's transaction, before inserting. A condition
/// is a query that must return at least one row; e.g.
/// <c>SELECT 1 FROM shard_leases WHERE shard = @shard AND owner = @owner AND epoch = @epoch FOR SHARE</c>
/// — <c>FOR SHARE</c> keeps the lease row from changing until the write commits. A write whose
/// condition returns no row is not stored and fails with <see cref="WriteGuardRejectedException"/>.
/// </summary>
public interface IWriteGuard
{
    /// <summary>
    /// The condition for a write of <paramref name="persistenceId"/>, or null when it is not fenced.
    /// Called on the writer's thread when the write is issued; must be fast and must not throw.
    /// </summary>
    WriteCondition? ConditionFor(string persistenceId);
}

/// <summary>A query that must return a row for a write to proceed; its parameters are bound by name (<c>@name</c>).</summary>
public sealed record WriteCondition(string Sql, IReadOnlyDictionary<string, object> Parameters)
{
    /// <summary>Equal conditions are run once per transaction.</summary>
    internal string Key { get; } = Sql + "\u0001" + string.Join("\u0001",
        Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));

    internal NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var (name, value) in Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public override string ToString() => $"{Sql} with {string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))}";
}

/// <summary>A write was refused because its <see cref="WriteCondition"/> returned no row (e.g. the shard lease moved). A write failure.</summary>
public sealed class WriteGuardRejectedException : Exception
{
    public WriteGuardRejectedException(string persistenceId, WriteCondition condition)
        : base($"The write guard refused a write of persistence id [{persistenceId}]: its condition returned no row ({condition})")
    {
        PersistenceId = persistenceId;
        Condition = condition;
    }

    public string PersistenceId { get; }

    public WriteCondition Condition { get; }
}
