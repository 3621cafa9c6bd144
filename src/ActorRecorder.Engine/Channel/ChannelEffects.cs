using System.Collections.Immutable;
using ActorRecorder.Media.Ffmpeg;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// What the channel actor does after the events of a decision are persisted. Effects never decide: they
/// start and stop things, and whatever happens comes back as an <see cref="IChannelInput"/>.
/// </summary>
public abstract record ChannelEffect;

/// <summary>(Re)starts the monitor for the channel's URL (a running one is replaced).</summary>
public sealed record StartMonitor(IReadOnlyList<Settings.ChannelSource> Sources, string? CookiesFile, TimeSpan PollInterval) : ChannelEffect
{
    /// <summary>The renditions wanted, in order (the channel's <c>quality</c>).</summary>
    public IReadOnlyList<Platforms.Quality.StreamQuality> Qualities { get; init; } = [];

    /// <summary>The HTTP proxy the checks go through (the channel's <c>proxy</c>).</summary>
    public Media.Network.ProxyUrl? Proxy { get; init; }
}

/// <summary>Runs a hook's command in the background (never through a shell), with a timeout; answered with <see cref="HookExited"/>.</summary>
public sealed record RunHook(string HookId, string Hook, IReadOnlyList<string> Command, ImmutableSortedDictionary<string, string> Environment, TimeSpan Timeout)
    : ChannelEffect;

/// <summary>Stops the monitor until the next <see cref="StartMonitor"/> (no recording window is open: nothing is polled).</summary>
public sealed record StopMonitor : ChannelEffect;

/// <summary>Asks the monitor to check at once and report even an unchanged answer.</summary>
public sealed record CheckLiveNow : ChannelEffect;

/// <summary>Tells the monitor whether ffmpeg is recording (it then checks less often).</summary>
public sealed record MonitorRecording(bool Active) : ChannelEffect;

public sealed record StartRecorder(int Attempt, RecordingRequest Request) : ChannelEffect;

/// <summary>Asks ffmpeg to finish its file; on <paramref name="Shutdown"/> the partial segment is left for the next start to adopt (a stop must fit its budget).</summary>
public sealed record StopRecorder(int Attempt, string Reason, bool Shutdown = false) : ChannelEffect;

public sealed record StartTimer(string Key, IChannelInput Message, TimeSpan Delay) : ChannelEffect;

public sealed record CancelTimer(string Key) : ChannelEffect;

/// <summary>Checks the free disk space now and then every <paramref name="Interval"/>.</summary>
public sealed record WatchDisk(TimeSpan Interval) : ChannelEffect;

/// <summary>
/// Stops a recorder left behind by an earlier incarnation (then tells <see cref="OrphansReaped"/>), then probes every
/// segment file of the session that the journal does not list and an attempt before <paramref name="BelowAttempt"/>
/// wrote (the next attempt may already be recording into the folder); answered with <see cref="AdoptionFinished"/>.
/// </summary>
public sealed record AdoptSegments(int Token, string Directory, ImmutableHashSet<string> Known, int BelowAttempt) : ChannelEffect;

/// <summary>Sends <paramref name="Message"/> to the splitter (or the uploader) of incarnation <paramref name="Worker"/>, started if needed.</summary>
public sealed record ToSplitter(int Worker, object Message) : ChannelEffect;

public sealed record ToUploader(int Worker, object Message) : ChannelEffect;

/// <summary>Stops the delivery workers of older incarnations (their uploads are cancelled).</summary>
public sealed record RetireWorkersBefore(int Worker) : ChannelEffect;

/// <summary>Deletes a completed session's files; answered with <see cref="CleanupDone"/> or <see cref="CleanupFailed"/>.</summary>
public sealed record DeleteFiles(string SessionId, string Directory, ImmutableList<string> Files) : ChannelEffect;

/// <summary>Publishes that an ended session goes to delivery (the demo and tests watch for it).</summary>
public sealed record PublishHandedOver(Session Session) : ChannelEffect;

public sealed record Log(LogLevel Level, string Message) : ChannelEffect;

/// <summary>Stops the channel: <paramref name="Passivate"/> for good (retired), otherwise only this incarnation (node shutdown).</summary>
public sealed record StopChannel(bool Passivate) : ChannelEffect;
