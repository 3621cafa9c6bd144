using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace ActorRecorder.Host.Leases.Internal;

/// <summary>
/// One <see cref="PostgresLeaseStore"/> per (actor system, connection string), so one renewal statement per round serves
/// every lease of the system on that database. The stores stop with the actor system: renewals end and the rows are
/// left to expire (the leases' users release them first when they stop in order).
/// </summary>
internal sealed class PostgresLeaseStores : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, Lazy<PostgresLeaseStore>> _stores = new(StringComparer.Ordinal);

    public PostgresLeaseStores(ExtendedActorSystem system)
    {
        _system = system;
        system.RegisterOnTermination(() =>
        {
            foreach (var store in _stores.Values.Where(store => store.IsValueCreated))
            {
                store.Value.Dispose();
            }
        });
    }

    public static PostgresLeaseStores Get(ActorSystem system) => system.WithExtension<PostgresLeaseStores, PostgresLeaseStoresProvider>();

    /// <summary>Whether some store rides its leases out through an outage in a whole cluster (for the journal's retries).</summary>
    public bool AnyWhole => _stores.Values.Any(store => store.IsValueCreated && store.Value.Whole);

    public PostgresLeaseStore For(string connectionString) =>
        _stores.GetOrAdd(connectionString, key => new Lazy<PostgresLeaseStore>(
            () => new PostgresLeaseStore(key, Logging.GetLogger(_system, typeof(PostgresLeaseStore))))).Value;
}

internal sealed class PostgresLeaseStoresProvider : ExtensionIdProvider<PostgresLeaseStores>
{
    public override PostgresLeaseStores CreateExtension(ExtendedActorSystem system) => new(system);
}
