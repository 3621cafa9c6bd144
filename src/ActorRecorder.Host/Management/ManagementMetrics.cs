using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using ActorRecorder.Engine;
using ActorRecorder.Host.Channels;
using Microsoft.AspNetCore.Builder;
using Prometheus;

namespace ActorRecorder.Host.Management;

/// <summary>
/// <c>GET /metrics</c>: the node's own instruments (<see cref="RecorderMetrics"/>, plus the shards and entities this node
/// hosts and the live-stream clients) and the process's (CPU, memory, GC) in Prometheus' text format, from a registry of
/// this node's own, so that nodes sharing a process (specs) do not report each other.
/// </summary>
public sealed class ManagementMetrics : IDisposable
{
    private static readonly TimeSpan ShardsEvery = TimeSpan.FromSeconds(10);
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly IDisposable _adapter;
    private readonly UpDownCounter<int> _liveClients;
    private readonly Timer _shardsTimer;
    private (int Shards, int Entities) _hosted;

    public ManagementMetrics(EngineServices services, ActorSystem system, ActorRegistry registry, Leases.DatabaseHealth database)
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var meter = services.Metrics.Meter;
        _liveClients = meter.CreateUpDownCounter<int>("live.clients", null, "Clients of the live stream endpoint");
        meter.CreateObservableGauge("sharding.shards", () => _hosted.Shards, null, "Channel shards hosted by this node");
        meter.CreateObservableGauge("sharding.entities", () => _hosted.Entities, null, "Channel entities (channels) hosted by this node");
        meter.CreateObservableGauge("lease.database_unreachable_seconds", () => database.UnreachableFor.TotalSeconds, null,
            "How long every lease statement of this node has failed (0 while the database answers it)");
        meter.CreateObservableGauge("lease.ridden_out", () => database.RiddenOut, null,
            "Shard leases this node holds past their validity while the database is down and the cluster whole (ride-out)");
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => instrument.Meter == meter,
            ResolveHistogramBuckets = _ => SecondsBuckets,
        });
        _shardsTimer = new Timer(_ => _ = RefreshShardsAsync(registry), null, TimeSpan.Zero, ShardsEvery);
    }

    public CollectorRegistry Registry { get; }

    public void Map(WebApplication app) => app.MapMetrics("/metrics", Registry);

    /// <summary>Counts a live-stream client while it is connected.</summary>
    public IDisposable LiveClient()
    {
        _liveClients.Add(1);
        return new Decrement(_liveClients);
    }

    private async Task RefreshShardsAsync(ActorRegistry registry)
    {
        try
        {
            if (registry.TryGet<ChannelRegion>(out var region))
            {
                var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
                _hosted = (state.Shards.Count, state.Shards.Sum(s => s.EntityIds.Count));
            }
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException or ObjectDisposedException)
        {
            // the node is starting or stopping: the last figures stand
        }
    }

    public void Dispose()
    {
        _shardsTimer.Dispose();
        _adapter.Dispose();
    }

    private sealed class Decrement(UpDownCounter<int> counter) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                counter.Add(-1);
            }
        }
    }
}
