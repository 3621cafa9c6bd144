using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// The channel list to run (from the configuration, at start and on every reload), with when it was edited: in a
/// cluster the newest edit of any node wins. <paramref name="IsEdit"/>: the file was just edited (a reload), so this
/// list is newer than any the cluster runs, whatever the clocks of the nodes say.
/// </summary>
public sealed record ApplyChannels(IReadOnlyList<ChannelSettings> Channels, DateTimeOffset EditedAt, bool IsEdit = false);

/// <summary>The answer to <see cref="ApplyChannels"/>.</summary>
public sealed record ChannelsApplied(IReadOnlyList<string> Added, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed);

/// <summary>Asks for every configured channel's status; answered with a list of <see cref="Engine.Channel.ChannelStatus"/> (a removed channel that is still finishing its session is not in it).</summary>
public sealed record GetChannelStatuses
{
    public static GetChannelStatuses Instance { get; } = new();
}

/// <summary>Asks for the channel list in force (in a cluster, the newest edit of any node); answered with a list of <see cref="ChannelSettings"/>.</summary>
public sealed record GetConfiguredChannels
{
    public static GetConfiguredChannels Instance { get; } = new();
}

/// <summary>The ActorRegistry key of the channel directory.</summary>
public sealed class ChannelDirectory;

/// <summary>The ActorRegistry key of the "channel" shard region.</summary>
public sealed class ChannelRegion;
