using System.Collections.Frozen;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Probing;
using ActorRecorder.Platforms.Gate;
using ActorRecorder.Platforms.Resolvers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorRecorder.Engine;

/// <summary>
/// What every channel of a node shares: the resolvers by name, the one platform gate all platform calls
/// go through, the segment adopter, how free disk space is measured, the clock, the loggers, the Bot API
/// clients and the upload gate; and the props of a channel's children (tests replace them with probes).
/// </summary>
public sealed record EngineServices(
    IReadOnlyDictionary<string, IChannelResolver> Resolvers,
    PlatformGate Gate,
    SegmentAdopter Adopter,
    Func<string, long> FreeBytes)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>A channel saves a snapshot after this many events, so a replay reads at most that many.</summary>
    public int SnapshotEvery { get; init; } = 100;

    /// <summary>
    /// After each snapshot, a channel deletes the events before it that no open or undelivered session needs
    /// (<c>persistence.delete-old-events</c>): its journal stays bounded however many broadcasts it records.
    /// </summary>
    public bool DeleteOldEvents { get; init; } = true;

    public ChannelChildren Children { get; init; } = ChannelChildren.Default;

    /// <summary>
    /// Whether this node still holds the channel (by id): in a cluster, whether the lease of its shard is current. A
    /// channel checks it before it writes an event or acts, and stops without either when it does not: a node that
    /// was frozen past failure detection, or cut off from the database, never records or delivers a channel that
    /// has moved to another node. A cluster of one always holds its channels.
    /// </summary>
    public Func<string, bool> HoldsChannel { get; init; } = static _ => true;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Func<string, long>, Media.FileSystem.FreeSpaceGauge> Gauges = new();

    /// <summary>
    /// <see cref="FreeBytes"/>, measured off the thread pool and shared by every channel of the node that records into the
    /// same folder (one measurement a second per folder answers them all).
    /// </summary>
    public Media.FileSystem.FreeSpaceGauge FreeSpace => Gauges.GetValue(FreeBytes, measure => new Media.FileSystem.FreeSpaceGauge(measure, Time));

    /// <summary>The node's instruments (exported by the management API's /metrics).</summary>
    public RecorderMetrics Metrics { get; init; } = new(Gate);

    /// <summary>
    /// Told when each recording's ffmpeg starts and exits: the node's <see cref="Media.Processes.RecorderWatchdog"/>,
    /// which kills them if the node dies or freezes. Null: none.
    /// </summary>
    public Media.Processes.IRecorderWatch? Watch { get; init; }

    /// <summary>One HTTP client for the Bot API (infinite client timeout: each upload's timeout is sized to its file).</summary>
    public HttpClient TelegramHttp { get; init; } = SharedTelegramHttp;

    private static readonly HttpClient SharedTelegramHttp = Telegram.TelegramBotClient.CreateHttpClient();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Settings.TelegramTargetSettings, string), Telegram.TelegramBotClient> _telegramClients = new();

    /// <summary>The running node's secrets: what the settings' <see cref="Settings.SecretRef"/>s stand for on this node.</summary>
    public Settings.SecretStore Secrets { get; init; } = new();

    /// <summary>
    /// The node's Bot API client for these settings, shared by every channel: per-chat pacing (Telegram's
    /// ~1 message/s per chat, 20/min per group) and the speed limit hold for the node, not per channel. The token is
    /// this node's own (<see cref="Secrets"/>); a rotated one gets a client of its own.
    /// </summary>
    /// <exception cref="Settings.SecretMissingException">This node's configuration sets no bot token.</exception>
    public Telegram.TelegramBotClient TelegramClient(Settings.TelegramTargetSettings settings) =>
        _telegramClients.GetOrAdd((settings, Secrets.Resolve(settings.BotToken)), key =>
        {
            var (s, token) = key;
            var client = new Telegram.TelegramBotClient(TelegramHttp, new Telegram.TelegramOptions
            {
                ApiBaseUrl = s.ApiBaseUrl,
                BotToken = token,
                LocalMode = s.LocalMode,
                SpeedLimit = s.SpeedLimit,
            }, Time);
            // A flood wait or a back-off is seen in the node's log (the message names the method, never the token).
            var log = LoggerFactory.CreateLogger<Telegram.TelegramBotClient>();
            client.Retrying += notice => TelegramRetryLog.Write(log, notice.Method, notice.Attempt, notice.Error.ErrorCode, notice.Delay.TotalSeconds, notice.Error.Description);
            return client;
        });

    /// <summary>Bounds the uploads running at once across all channels of the node.</summary>
    public SemaphoreSlim UploadGate { get; init; } = new(4);

    /// <summary>One HTTP client per process for platform checks (connection pooling; the resolvers set their own timeouts).</summary>
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The platform tools the ytdlp resolver runs: their versions, installation and update.</summary>
    public Platforms.Tools.PlatformTools Tools { get; init; } = new("yt-dlp", "streamlink", TimeSpan.FromDays(60), TimeProvider.System);

    /// <summary>The node's standard services (ffprobe, yt-dlp and streamlink from PATH unless given).</summary>
    public static EngineServices Create(string ffprobePath = "ffprobe", string ytDlpPath = "yt-dlp", string streamlinkPath = "streamlink",
        GateOptions? gate = null, TimeSpan? toolsMaxAge = null)
    {
        var ffprobe = new Ffprobe(ffprobePath);
        var probeTimeout = TimeSpan.FromSeconds(15);
        IChannelResolver[] resolvers =
        [
            new GenericResolver(ffprobe, probeTimeout, SharedHttp),
            new YtDlpResolver(ytDlpPath, streamlinkPath, TimeSpan.FromSeconds(60)),
        ];
        return new EngineServices(
            resolvers.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal),
            new PlatformGate(gate ?? new GateOptions()),
            new SegmentAdopter(ffprobe, probeTimeout),
            FreeBytesOf)
        {
            Tools = new Platforms.Tools.PlatformTools(ytDlpPath, streamlinkPath, toolsMaxAge ?? TimeSpan.FromDays(60), TimeProvider.System),
        };
    }

    /// <summary>Free bytes for unprivileged users on the file system holding <paramref name="path"/> (created if missing).</summary>
    public static long FreeBytesOf(string path)
    {
        Directory.CreateDirectory(path);
        return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace;
    }
}

internal static partial class TelegramRetryLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "telegram {Method}: attempt {Attempt} failed ({ErrorCode} {Description}); retrying in {Seconds:0.###} s")]
    public static partial void Write(ILogger logger, string method, int attempt, int errorCode, double seconds, string description);
}
