using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Hosting.Coordination;
using ActorRecorder.Host.Leases.Internal;

namespace ActorRecorder.Host.Leases;

/// <summary>
/// The PostgreSQL lease for Akka.Hosting: set it as <c>ShardOptions.LeaseImplementation</c> (or a singleton's, or the
/// split-brain resolver's) and call <see cref="Apply"/> on the builder once, which adds the lease's block at
/// <see cref="ConfigPath"/>. Its <see cref="ToString"/> masks the password.
/// </summary>
public sealed class PostgresLeaseOption(string connectionString, TimeSpan heartbeatTimeout, TimeSpan heartbeatInterval, TimeSpan operationTimeout)
    : LeaseOptionBase
{
    /// <summary>The Npgsql connection string of the cluster's database. A secret: never log it.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>The TTL: how long the row stays ours after its last renewal, by the database's clock.</summary>
    public TimeSpan HeartbeatTimeout { get; } = heartbeatTimeout;

    /// <summary>How often the holder renews; less than half <see cref="HeartbeatTimeout"/>.</summary>
    public TimeSpan HeartbeatInterval { get; } = heartbeatInterval;

    /// <summary>How long Acquire and Release wait for the database before failing with a LeaseTimeoutException.</summary>
    public TimeSpan OperationTimeout { get; } = operationTimeout;

    /// <summary>How much earlier than the database's expiry CheckLease turns false; null: a tenth of the TTL.</summary>
    public TimeSpan? SafetyMargin { get; init; }

    public override string ConfigPath => Path;

    /// <summary>Where the lease's block goes; <see cref="PostgresLeaseConfig.DefaultPath"/> unless set.</summary>
    public string Path { get; init; } = PostgresLeaseConfig.DefaultPath;

    public override Type Class => typeof(PostgresLease);

    /// <summary>The lease's block, as <see cref="PostgresLeaseConfig.Create"/> writes it.</summary>
    public Config ToConfig() =>
        PostgresLeaseConfig.Create(ConnectionString, HeartbeatTimeout, HeartbeatInterval, OperationTimeout, SafetyMargin, ConfigPath);

    public override void Apply(AkkaConfigurationBuilder builder, Setup? setup = null) => builder.AddHocon(ToConfig(), HoconAddMode.Prepend);

    public override string ToString() =>
        $"PostgresLeaseOption({ConfigPath}: {ConnectionStrings.Mask(ConnectionString)}, heartbeat-timeout = {HeartbeatTimeout}, "
        + $"heartbeat-interval = {HeartbeatInterval}, lease-operation-timeout = {OperationTimeout})";
}
