using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Node;

/// <summary>The channel list to run (from the configuration, at start and on every reload).</summary>
public sealed record ApplyChannels(IReadOnlyList<ChannelSettings> Channels);

/// <summary>The answer to <see cref="ApplyChannels"/>.</summary>
public sealed record ChannelsApplied(IReadOnlyList<string> Added, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed);

/// <summary>Asks for every channel's status; the answer is a list of <see cref="Engine.Channel.ChannelStatus"/>.</summary>
public sealed class GetChannelStatuses
{
    public static GetChannelStatuses Instance { get; } = new();
}

/// <summary>Stops every channel gracefully; answered with <see cref="ChannelsStopped"/> once all have stopped.</summary>
public sealed class ShutdownChannels
{
    public static ShutdownChannels Instance { get; } = new();
}

public sealed class ChannelsStopped
{
    public static ChannelsStopped Instance { get; } = new();
}
