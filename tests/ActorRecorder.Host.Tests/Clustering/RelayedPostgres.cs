using ActorRecorder.Host.Tests.Support;
using Npgsql;

namespace ActorRecorder.Host.Tests.Clustering;

/// <summary>
/// Each node of a scene reaching PostgreSQL through a relay of its own (<see cref="TcpRelay"/>), so the database can be
/// cut off from one node alone, or stopped for all of them, while the server and the spec's own connections stay up.
/// </summary>
public sealed class RelayedPostgres : IAsyncDisposable
{
    private readonly Dictionary<int, TcpRelay> _relays = [];

    /// <summary>For <see cref="ClusterScene.StartAsync"/>'s nodePostgres: node N's connection string, through its relay.</summary>
    public string For(string connectionString, int node)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var relay = _relays[node] = TcpRelay.Start(server.Host!, server.Port);
        return new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = relay.Port }.ToString();
    }

    public TcpRelay this[int node] => _relays[node];

    /// <summary>What every node sees of a PostgreSQL restart: its connections reset, new ones refused.</summary>
    public void StopAll()
    {
        foreach (var relay in _relays.Values)
        {
            relay.Stop();
        }
    }

    public void RestoreAll()
    {
        foreach (var relay in _relays.Values)
        {
            relay.Restore();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays.Values)
        {
            await relay.DisposeAsync();
        }
    }
}
