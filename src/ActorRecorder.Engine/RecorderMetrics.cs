using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Platforms.Gate;

namespace ActorRecorder.Engine;

/// <summary>
/// The node's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>; the management API exports them to
/// Prometheus): channels by state, recordings running, what was recorded and delivered, errors by kind, the platform
/// gates, the journal's write latency, recoveries of interrupted recordings. Channels report here as their events are
/// persisted; the gauges are read when they are scraped. One per node (a process may run several nodes in specs).
/// </summary>
public sealed class RecorderMetrics : IDisposable
{
    public const string MeterName = "ActorRecorder";

    private readonly ConcurrentDictionary<string, (ChannelMode Mode, bool Recording)> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _unreadable = new(StringComparer.Ordinal);
    private readonly Counter<long> _bytesRecorded;
    private readonly Counter<long> _segmentsRecorded;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsCompleted;
    private readonly Counter<long> _partsUploaded;
    private readonly Counter<long> _bytesUploaded;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _failovers;
    private readonly Histogram<double> _journalWrite;

    public RecorderMetrics(PlatformGate? gate = null)
    {
        Meter = new Meter(MeterName);
        _bytesRecorded = Meter.CreateCounter<long>("recorded.bytes", "By", "Bytes of finished segments recorded on this node");
        _segmentsRecorded = Meter.CreateCounter<long>("recorded.segments", null, "Segments recorded (or adopted after an interruption) on this node");
        _sessionsStarted = Meter.CreateCounter<long>("sessions.started", null, "Sessions (broadcasts) started on this node");
        _sessionsCompleted = Meter.CreateCounter<long>("sessions.completed", null, "Sessions delivered to every target on this node");
        _partsUploaded = Meter.CreateCounter<long>("uploads.parts", null, "Parts confirmed by a target, by target");
        _bytesUploaded = Meter.CreateCounter<long>("uploads.bytes", "By", "Bytes of parts confirmed by a target, by target");
        _errors = Meter.CreateCounter<long>("errors", null,
            "Errors by kind: ffmpeg_failed, ffmpeg_stalled, segment_discarded, delivery_failed, journal_write, monitor_failed");
        _failovers = Meter.CreateCounter<long>("failovers", null,
            "Channels that took up an interrupted recording on this node (after a crash, or moved here from a node that died or left)");
        _journalWrite = Meter.CreateHistogram<double>("journal.write.seconds", "s", "Time from a channel's write to the journal's acknowledgement",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        Meter.CreateObservableGauge("channels", ChannelsByState, null, "Channels running on this node, by state");
        Meter.CreateObservableGauge("channels.unreadable", () => _unreadable.Count, null,
            "Channels on this node whose journal holds an event they cannot read: they record and deliver nothing");
        Meter.CreateObservableGauge("recordings.active", () => _channels.Values.Count(c => c.Recording), null,
            "ffmpeg recordings running on this node");
        if (gate is not null)
        {
            Meter.CreateObservableGauge("gate.limit", () => GateMeasurements(gate, g => g.CurrentLimit), null,
                "The platform gate's current concurrency limit, by platform");
            Meter.CreateObservableGauge("gate.in_flight", () => GateMeasurements(gate, g => g.InFlight), null,
                "Platform calls running through the gate, by platform");
        }
    }

    public Meter Meter { get; }

    /// <summary>A channel's state after each of its decisions.</summary>
    public void ChannelState(string channelId, ChannelMode mode, bool recording) => _channels[channelId] = (mode, recording);

    /// <summary>The channel stopped on this node (moved, retired, the node stops).</summary>
    public void ChannelGone(string channelId)
    {
        _channels.TryRemove(channelId, out _);
        _unreadable.TryRemove(channelId, out _);
    }

    /// <summary>The channel cannot read its journal: it does nothing until it can.</summary>
    public void ChannelUnreadable(string channelId) => _unreadable[channelId] = true;

    /// <summary>The channels on this node with a broadcast in progress: an open session (recording or in its grace period) or ffmpeg running.</summary>
    public IReadOnlyCollection<string> BusyChannels =>
        [.. _channels.Where(c => c.Value.Recording || c.Value.Mode is ChannelMode.Recording or ChannelMode.Grace).Select(c => c.Key)];

    /// <summary>The channels on this node that cannot read their journal.</summary>
    public IReadOnlyCollection<string> UnreadableChannels => [.. _unreadable.Keys.Order(StringComparer.Ordinal)];

    public void MonitorFailed() => _errors.Add(1, new KeyValuePair<string, object?>("kind", "monitor_failed"));

    public void Failover() => _failovers.Add(1);

    public void JournalWritten(TimeSpan took) => _journalWrite.Record(took.TotalSeconds);

    public void JournalWriteFailed() => _errors.Add(1, new KeyValuePair<string, object?>("kind", "journal_write"));

    /// <summary>Counts what a persisted event says happened; <paramref name="state"/> is the channel's state after it.</summary>
    public void Persisted(IChannelEvent @event, PersistedState state)
    {
        switch (@event)
        {
            case SegmentRecorded segment:
                _segmentsRecorded.Add(1);
                _bytesRecorded.Add(segment.Bytes);
                break;
            case SessionStarted:
                _sessionsStarted.Add(1);
                break;
            case SessionCompleted:
                _sessionsCompleted.Add(1);
                break;
            case PartUploaded uploaded:
                Uploaded(state, uploaded.SessionId, [uploaded.Part], uploaded.Target);
                break;
            case AlbumUploaded album:
                Uploaded(state, album.SessionId, album.Parts, album.Target);
                break;
            case RecordingAttemptEnded { Outcome: "Failed" or "Stalled" } ended:
                _errors.Add(1, new KeyValuePair<string, object?>("kind", ended.Outcome == "Failed" ? "ffmpeg_failed" : "ffmpeg_stalled"));
                break;
            case SegmentDiscarded:
                _errors.Add(1, new KeyValuePair<string, object?>("kind", "segment_discarded"));
                break;
            case SessionFailed:
                _errors.Add(1, new KeyValuePair<string, object?>("kind", "delivery_failed"));
                break;
        }
    }

    private void Uploaded(PersistedState state, string sessionId, IReadOnlyList<int> parts, string target)
    {
        var tag = new KeyValuePair<string, object?>("target", target);
        var planned = state.Ended(sessionId)?.Parts ?? [];
        _partsUploaded.Add(parts.Count, tag);
        _bytesUploaded.Add(planned.Where(p => parts.Contains(p.Number)).Sum(p => p.Bytes), tag);
    }

    private IEnumerable<Measurement<int>> ChannelsByState()
    {
        var counts = Enum.GetValues<ChannelMode>().ToDictionary(m => m, _ => 0);
        foreach (var channel in _channels.Values)
        {
            counts[channel.Mode]++;
        }
        return counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("state", c.Key.ToString().ToLowerInvariant())));
    }

    private static IEnumerable<Measurement<int>> GateMeasurements(PlatformGate gate, Func<AdaptiveGate, int> read) =>
        gate.Gates.Select(g => new Measurement<int>(read(g.Value), new KeyValuePair<string, object?>("platform", g.Key))).ToList();

    public void Dispose() => Meter.Dispose();
}
