using ActorRecorder.ClusterLab;
using ActorRecorder.Host.Leases;
using Akka.Actor;
using Akka.Coordination;

namespace ActorRecorder.Host.Tests.Leases;

/// <summary>A fresh PostgreSQL database and the actor systems a lease spec starts on it (each one a node's incarnation).</summary>
internal sealed class LeaseNodes(PostgresDatabase database, string systemName, PostgresLeaseOption option) : IAsyncDisposable
{
    private readonly List<ActorSystem> _systems = [];

    public PostgresDatabase Database { get; } = database;

    /// <summary>Creates the database; the leases last <paramref name="ttl"/>, renewed every <paramref name="interval"/>.</summary>
    public static async Task<LeaseNodes> CreateAsync(string systemName, TimeSpan ttl, TimeSpan interval, TimeSpan operationTimeout)
    {
        var database = await PostgresDatabase.CreateAsync();
        return new LeaseNodes(database, systemName, new PostgresLeaseOption(database.ConnectionString, ttl, interval, operationTimeout));
    }

    public ActorSystem StartNode()
    {
        var system = ActorSystem.Create(systemName, option.ToConfig());
        _systems.Add(system);
        return system;
    }

    public static Lease LeaseOn(ActorSystem system, string name, string owner) =>
        LeaseProvider.Get(system).GetLease(name, PostgresLeaseConfig.DefaultPath, owner);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_systems.Select(system => system.Terminate()));
        await Database.DisposeAsync();
    }
}
