using System.Globalization;
using Akka.Configuration;

namespace ActorRecorder.Host.Leases;

/// <summary>The HOCON of a <see cref="PostgresLease"/>: the block Akka's LeaseProvider reads at the lease's config path.</summary>
public static class PostgresLeaseConfig
{
    /// <summary>The config path the block goes to unless the caller names another.</summary>
    public const string DefaultPath = "akka.coordination.lease.postgres";

    /// <summary>The value of <c>lease-class</c>.</summary>
    public static readonly string LeaseClass = $"{typeof(PostgresLease).FullName}, {typeof(PostgresLease).Assembly.GetName().Name}";

    /// <summary>The reference.conf block next to this class: the defaults of the keys Akka does not define.</summary>
    internal static Config Reference { get; } =
        ConfigurationFactory.FromResource<PostgresLease>("ActorRecorder.Host.Leases.reference.conf").GetConfig(DefaultPath);

    /// <summary>
    /// The lease's block at <paramref name="path"/>: <c>lease-class</c>, <c>connection-string</c>, <c>heartbeat-timeout</c>
    /// (the TTL), <c>heartbeat-interval</c>, <c>lease-operation-timeout</c> and <c>safety-margin</c> (a tenth of the TTL
    /// when null). The returned config holds the connection string in clear: add it to the actor system, never log it.
    /// </summary>
    /// <exception cref="ArgumentException">A timing Akka or the lease would refuse (the message names the parameter).</exception>
    public static Config Create(string connectionString, TimeSpan heartbeatTimeout, TimeSpan heartbeatInterval, TimeSpan operationTimeout,
        TimeSpan? safetyMargin = null, string path = DefaultPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Require(heartbeatInterval > TimeSpan.Zero && heartbeatInterval < heartbeatTimeout / 2, nameof(heartbeatInterval),
            $"must be greater than 0 and less than half the heartbeat timeout ({heartbeatTimeout})");
        Require(operationTimeout > TimeSpan.Zero, nameof(operationTimeout), "must be greater than 0");
        var margin = safetyMargin ?? heartbeatTimeout / 10;
        Require(margin > TimeSpan.Zero && margin < heartbeatTimeout - heartbeatInterval, nameof(safetyMargin),
            $"must be greater than 0 and less than the heartbeat timeout minus the heartbeat interval ({heartbeatTimeout - heartbeatInterval})");
        return ConfigurationFactory.ParseString($$"""
            {{path}} {
              lease-class = {{Quote(LeaseClass)}}
              connection-string = {{Quote(connectionString)}}
              heartbeat-timeout = {{Duration(heartbeatTimeout)}}
              heartbeat-interval = {{Duration(heartbeatInterval)}}
              lease-operation-timeout = {{Duration(operationTimeout)}}
              safety-margin = {{Duration(margin)}}
            }
            """);
    }

    private static void Require(bool valid, string parameter, string message)
    {
        if (!valid)
        {
            throw new ArgumentException(message, parameter);
        }
    }

    private static string Duration(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
