using ActorRecorder.Actors;
using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Node;

/// <summary>
/// Runs the configured channels (<c>/user/channels/&lt;id&gt;</c>). A reload adds, updates and retires
/// channels without a restart (a removed channel finishes its session first). A channel that stops by
/// itself — a failed journal write stops a persistent actor — is started again with back-off and resumes
/// by replaying its journal.
/// </summary>
public sealed partial class ChannelManagerActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private readonly EngineServices _services;
    private readonly Dictionary<string, Entry> _channels = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private readonly List<IActorRef> _shutdownRequesters = [];
    private bool _shuttingDown;

    public ChannelManagerActor(EngineServices services)
    {
        _services = services;
        _log = Context.GetLogger();
        Receive<ApplyChannels>(OnApply);
        Receive<Terminated>(OnTerminated);
        Receive<RestartChannel>(OnRestart);
        Receive<GetChannelStatuses>(request =>
        {
            // Asks every channel off the mailbox; the answer goes straight to the requester.
            _ = ReplyStatusesAsync(Sender);
        });
        Receive<ShutdownChannels>(OnShutdown);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(EngineServices services) => Actors.Props.Create(() => new ChannelManagerActor(services));

    private void OnApply(ApplyChannels apply)
    {
        if (_shuttingDown)
        {
            return;
        }
        var desired = apply.Channels.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var added = new List<string>();
        var updated = new List<string>();
        var removed = new List<string>();
        foreach (var (id, entry) in _channels)
        {
            if (!desired.ContainsKey(id) && !entry.Retiring)
            {
                entry.Retiring = true;
                entry.Pending = null;
                entry.Ref?.Tell(RetireChannel.Instance, Self);
                removed.Add(id);
            }
        }
        foreach (var (id, settings) in desired)
        {
            if (!_channels.TryGetValue(id, out var entry))
            {
                _channels[id] = new Entry(settings) { Ref = Start(settings) };
                added.Add(id);
            }
            else if (entry.Retiring)
            {
                entry.Pending = settings; // back in the configuration: start again once the old one has stopped
                added.Add(id);
            }
            else if (entry.Settings != settings)
            {
                entry.Settings = settings;
                entry.Ref?.Tell(new UpdateChannelSettings(settings), Self);
                updated.Add(id);
            }
        }
        if (added.Count + updated.Count + removed.Count > 0)
        {
            LogApplied(_log, string.Join(", ", added), string.Join(", ", updated), string.Join(", ", removed));
        }
        Sender.Tell(new ChannelsApplied(added, updated, removed));
    }

    private IActorRef Start(ChannelSettings settings) =>
        Context.Watch(Context.ActorOf(ChannelActor.Props(settings, _services), settings.Id));

    private void OnTerminated(Terminated terminated)
    {
        var (id, entry) = _channels.FirstOrDefault(c => c.Value.Ref?.Equals(terminated.ActorRef) == true);
        if (entry is null)
        {
            return;
        }
        entry.Ref = null;
        if (_shuttingDown)
        {
            _channels.Remove(id);
            CompleteShutdownIfDone();
        }
        else if (entry.Retiring)
        {
            if (entry.Pending is { } again)
            {
                _channels[id] = new Entry(again) { Ref = Start(again) };
            }
            else
            {
                _channels.Remove(id);
            }
        }
        else
        {
            entry.Restarts++;
            var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(entry.Restarts - 1, 10))));
            LogUnexpectedStop(_log, id, delay.TotalSeconds);
            Timers.StartSingleTimer("restart-" + id, new RestartChannel(id), delay);
        }
    }

    private void OnRestart(RestartChannel restart)
    {
        if (!_shuttingDown && _channels.TryGetValue(restart.Id, out var entry) && entry.Ref is null && !entry.Retiring)
        {
            entry.Ref = Start(entry.Settings);
        }
    }

    private void OnShutdown(ShutdownChannels _)
    {
        _shuttingDown = true;
        _shutdownRequesters.Add(Sender);
        Timers.CancelAll();
        foreach (var (id, entry) in _channels.ToArray())
        {
            if (entry.Ref is null)
            {
                _channels.Remove(id);
            }
            else
            {
                entry.Ref.Tell(ShutdownChannel.Instance, Self);
            }
        }
        CompleteShutdownIfDone();
    }

    private void CompleteShutdownIfDone()
    {
        if (_channels.Count == 0)
        {
            foreach (var requester in _shutdownRequesters)
            {
                requester.Tell(ChannelsStopped.Instance, Self);
            }
            _shutdownRequesters.Clear();
        }
    }

    private async Task ReplyStatusesAsync(IActorRef requester)
    {
        var running = _channels.Values.Select(e => e.Ref).OfType<IActorRef>().ToArray();
        var statuses = await Task.WhenAll(running.Select(async r =>
        {
            try
            {
                return await r.Ask<ChannelStatus>(GetChannelStatus.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AskTimeoutException or InvalidCastException)
            {
                return null;
            }
        })).ConfigureAwait(false);
        requester.Tell((IReadOnlyList<ChannelStatus>)statuses.OfType<ChannelStatus>().OrderBy(s => s.ChannelId, StringComparer.Ordinal).ToArray());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "channels applied: added [{Added}], updated [{Updated}], removed [{Removed}]")]
    private static partial void LogApplied(ILogger logger, string added, string updated, string removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "channel {Id} stopped unexpectedly; starting it again in {Seconds} s (it resumes from its journal)")]
    private static partial void LogUnexpectedStop(ILogger logger, string id, double seconds);

    private sealed class Entry(ChannelSettings settings)
    {
        public ChannelSettings Settings { get; set; } = settings;
        public IActorRef? Ref { get; set; }
        public bool Retiring { get; set; }
        public ChannelSettings? Pending { get; set; }
        public int Restarts { get; set; }
    }

    private sealed record RestartChannel(string Id);
}
