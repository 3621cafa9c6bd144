namespace ActorRecorder.Engine.Settings;

/// <summary>One configured channel (an item of <c>actor-recorder.channels</c>).</summary>
/// <param name="Id">Unique, file-name and actor-name safe: <c>^[a-z0-9._-]+$</c>, not "." or "..", at most 64 characters.</param>
/// <param name="Url">An absolute URL (http, https, rtmp, rtmps, rtsp, srt or file).</param>
/// <param name="Resolver">One of <see cref="EngineSettings.KnownResolvers"/>.</param>
/// <param name="Recording">The global recording settings with this channel's overrides applied.</param>
public sealed record ChannelSettings(string Id, string Url, string Resolver, RecordingSettings Recording)
{
    /// <summary>How the channel's sessions are cut and delivered (the node's <c>processing</c> and <c>upload</c> blocks).</summary>
    public DeliverySettings Delivery { get; init; } = DeliverySettings.None;
}
