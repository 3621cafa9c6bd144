using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// Drives the decider the way the channel actor does: each input is decided on the current state at the
/// script's clock, the events go to the script's journal, the state is taken. <see cref="Restart"/> starts a
/// new incarnation from the journal alone, as a crash would.
/// </summary>
internal sealed class ChannelScript
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);

    public ChannelScript(ChannelSettings? settings = null, IEnumerable<IChannelEvent>? journal = null, DateTimeOffset? now = null)
    {
        Settings = settings ?? DefaultSettings();
        Journal = [.. journal ?? []];
        Now = now ?? Epoch;
        State = Journal.Aggregate(ChannelState.Initial(Settings.Id), ChannelDecider.Evolve);
        Last = new Decision(State, [], []);
    }

    public ChannelSettings Settings { get; }

    public List<IChannelEvent> Journal { get; }

    public DateTimeOffset Now { get; set; }

    public ChannelState State { get; private set; }

    public Decision Last { get; private set; }

    public PersistedState P => State.Persisted;

    public RuntimeState R => State.Runtime;

    public static ChannelSettings DefaultSettings(IReadOnlyList<string>? targets = null, bool deleteAfterUpload = false, long minFreeDisk = 0) => new(
        "demo", "http://127.0.0.1:8080/live.m3u8", "generic",
        new RecordingSettings("/rec", TimeSpan.FromSeconds(1), Container.Ts, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(4), minFreeDisk, "ffmpeg", "ffprobe", TimeSpan.FromSeconds(1)))
    {
        Delivery = new DeliverySettings(targets ?? ["archive"], deleteAfterUpload, "/archive", 4L << 30, TimeSpan.FromSeconds(1), PartFormat.Mp4)
        {
            Telegram = targets?.Contains("telegram") == true
                ? new TelegramTargetSettings("http://127.0.0.1:1", SecretRef.TelegramBotToken, "-100", 50L << 20, 1, 0, "{part}", false)
                : null,
        },
    };

    public Decision Give(IChannelInput input)
    {
        Last = ChannelDecider.Decide(State, input, Now);
        Journal.AddRange(Last.Events);
        State = Last.State;
        return Last;
    }

    public ChannelScript After(TimeSpan elapsed)
    {
        Now += elapsed;
        return this;
    }

    /// <summary>A new incarnation: the journal is all it knows.</summary>
    public ChannelScript Restart() => new(Settings, Journal, Now);

    public T Effect<T>() where T : ChannelEffect =>
        Last.Effects.OfType<T>().SingleOrDefault() ?? throw new Xunit.Sdk.XunitException(
            $"expected one {typeof(T).Name} among the effects: {string.Join(", ", Last.Effects)}");

    public IEnumerable<T> Events<T>() where T : IChannelEvent => Journal.OfType<T>();

    /// <summary>Configured, its disk measured with room to spare, and live: a session with its first attempt recording.</summary>
    public ChannelScript Recording()
    {
        Give(new ConfigureChannel(Settings));
        Give(new DiskMeasured(long.MaxValue));
        Give(Live());
        Give(new Engine.Recording.RecordingStarted(R.Recorder!.Attempt, 4242));
        return this;
    }

    public static WentLive Live(string? title = "Evening stream") => new("http://cdn/live.m3u8", ImmutableDictionary<string, string>.Empty, title, "https://site/channel");
}
