using Akka.Actor;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Channel;

/// <summary>How a channel makes its children: the real ones by default; specs put probes in their place.</summary>
public sealed record ChannelChildren(
    Func<StartMonitor, EngineServices, Props> Monitor,
    Func<StartRecorder, ChannelSettings, EngineServices, Props> Recorder,
    Func<ChannelSettings, EngineServices, Props> Splitter,
    Func<ChannelSettings, EngineServices, Props> Uploader)
{
    public static ChannelChildren Default { get; } = new(
        (monitor, services) => MonitorActor.Props(monitor, services),
        (recorder, settings, services) => FfmpegProcessActor.Props(recorder.Request, recorder.Attempt, settings.Recording, services),
        (settings, services) => SplitterActor.Props(settings.Recording.FfmpegPath, settings.Recording.FfprobePath),
        (settings, services) => UploaderActor.Props(UploaderActor.TargetsFor(settings.Delivery, services), services.UploadGate, services));
}
