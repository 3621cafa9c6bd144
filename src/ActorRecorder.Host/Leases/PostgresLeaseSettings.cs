using Akka.Configuration;
using Akka.Coordination;
using ActorRecorder.Host.Leases.Internal;
using Npgsql;

namespace ActorRecorder.Host.Leases;

/// <summary>
/// What a <see cref="PostgresLease"/> reads from its config block besides Akka's own <see cref="TimeoutSettings"/>:
/// the database and the safety margin of <see cref="PostgresLease.CheckLease"/>. Its <see cref="ToString"/> masks the password.
/// </summary>
public sealed class PostgresLeaseSettings
{
    private PostgresLeaseSettings(string connectionString, TimeSpan safetyMargin, TimeoutSettings timeouts)
    {
        ConnectionString = connectionString;
        SafetyMargin = safetyMargin;
        Timeouts = timeouts;
    }

    /// <summary>The Npgsql connection string of the database that holds the <c>akka_lease</c> table. A secret: never log it.</summary>
    public string ConnectionString { get; }

    /// <summary>How much earlier than the database's expiry <see cref="PostgresLease.CheckLease"/> turns false.</summary>
    public TimeSpan SafetyMargin { get; }

    public TimeoutSettings Timeouts { get; }

    /// <summary>How long after the start of a successful acquire or renewal round trip the lease counts as held locally.</summary>
    public TimeSpan LocalValidity => Timeouts.HeartbeatTimeout - SafetyMargin;

    /// <summary>Reads the settings of one lease (its config block, with the reference.conf next to this class as fallback).</summary>
    /// <exception cref="ConfigurationException">The connection string is missing or malformed, or the safety margin is out of range.</exception>
    public static PostgresLeaseSettings Create(LeaseSettings lease)
    {
        var config = lease.LeaseConfig.WithFallback(PostgresLeaseConfig.Reference);
        var timeouts = lease.TimeoutSettings;
        var connectionString = config.GetString("connection-string", "");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ConfigurationException(
                $"lease [{lease.LeaseName}]: connection-string is empty; set it in the lease's config block to the Npgsql connection string of the cluster's PostgreSQL database");
        }
        ConnectionStrings.Describe(connectionString, "connection-string"); // throws on a malformed one, without echoing it

        var ttl = timeouts.HeartbeatTimeout;
        var margin = config.GetString("safety-margin", "") is { Length: > 0 } ? config.GetTimeSpan("safety-margin") : ttl / 10;
        if (margin <= TimeSpan.Zero || margin >= ttl - timeouts.HeartbeatInterval)
        {
            throw new ConfigurationException(
                $"lease [{lease.LeaseName}]: safety-margin = {margin.TotalMilliseconds}ms must be greater than 0 and less than heartbeat-timeout - heartbeat-interval "
                + $"({(ttl - timeouts.HeartbeatInterval).TotalMilliseconds}ms), or a renewed lease would not stay valid until its next renewal");
        }
        return new PostgresLeaseSettings(connectionString, margin, timeouts);
    }

    public override string ToString() =>
        $"PostgresLeaseSettings({ConnectionStrings.Mask(ConnectionString)}, safety-margin = {SafetyMargin}, {Timeouts})";
}
