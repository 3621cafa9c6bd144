using System.Text;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings;

/// <summary>The node's event journal (<c>actor-recorder.persistence</c>).</summary>
/// <param name="Kind">Which journal to write.</param>
/// <param name="SqlitePath">Full path of the SQLite file; set whatever <paramref name="Kind"/> is.</param>
/// <param name="PostgresConnectionString">The connection string when <paramref name="Kind"/> is Postgres (never empty then); null otherwise.</param>
public sealed record JournalSettings(JournalKind Kind, string SqlitePath, string? PostgresConnectionString)
{
    /// <summary>After each snapshot a channel deletes the events before it that no open or undelivered session needs.</summary>
    public bool DeleteOldEvents { get; init; } = true;

    // The connection string carries a password: a settings object printed to a log must not show it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Kind = ").Append(Kind)
            .Append(", SqlitePath = ").Append(SqlitePath)
            .Append(", PostgresConnectionString = ").Append(PostgresConnectionString is null ? "null" : ConfigSecrets.Mask)
            .Append(", DeleteOldEvents = ").Append(DeleteOldEvents);
        return true;
    }
}
