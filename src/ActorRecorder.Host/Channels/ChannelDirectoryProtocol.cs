using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// This node's channel list (from its configuration with the runtime changes, at start and on every reload) and the ids
/// removed at runtime on it: on a node of its own the list to run; in a cluster the node's statement to the cluster's
/// list (see <see cref="ChannelListRules"/>).
/// </summary>
public sealed record ApplyChannels(IReadOnlyList<ChannelSettings> Channels, IReadOnlyList<string> Removed);

/// <summary>The answer to <see cref="ApplyChannels"/>: what changed in the list the node runs (in a cluster, the cluster's).</summary>
public sealed record ChannelsApplied(IReadOnlyList<string> Added, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed);

/// <summary>Asks for every configured channel's status; answered with a list of <see cref="Engine.Channel.ChannelStatus"/> (a removed channel that is still finishing its session is not in it).</summary>
public sealed record GetChannelStatuses
{
    public static GetChannelStatuses Instance { get; } = new();
}

/// <summary>Asks for the channel list in force (in a cluster, the cluster's); answered with a list of <see cref="ChannelSettings"/>.</summary>
public sealed record GetConfiguredChannels
{
    public static GetConfiguredChannels Instance { get; } = new();
}

/// <summary>The ActorRegistry key of the channel directory.</summary>
public sealed class ChannelDirectory;

/// <summary>The ActorRegistry key of the "channel" shard region.</summary>
public sealed class ChannelRegion;
