using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Host.Channels;

/// <summary>The cluster's channel list and every node's last statement, as the list entity holds them.</summary>
public sealed record ChannelListModel(ImmutableSortedDictionary<string, ChannelSettings> Channels, ImmutableSortedDictionary<string, OriginStatement> Statements)
{
    public static ChannelListModel Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, ChannelSettings>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, OriginStatement>(StringComparer.Ordinal));

    public IReadOnlyList<ChannelSettings> List => [.. Channels.Values];
}

/// <summary>
/// How statements edit the cluster's channel list — pure functions, no clock. A node's statement is its configuration
/// file's channels (with those added at runtime on it) and the ids removed at runtime on it. The list changes by what a
/// node's statement changes since that node's previous statement:
/// <list type="bullet">
/// <item>a channel it states anew or with other settings is put (added, or its settings replaced);</item>
/// <item>a channel it no longer states, or newly lists as removed, is dropped from the list;</item>
/// <item>a statement equal to its previous one (a restart, a save without a change) changes nothing — so a node that
/// restarts with its file as it was never undoes what was added or removed elsewhere;</item>
/// <item>a node's first statement adds the channels the list lacks and drops the ones it removed at runtime; it changes
/// and drops nothing else (what the cluster runs was stated by nodes it has not seen).</item>
/// </list>
/// Statements are applied one at a time in the order the entity receives them; its journal's sequence number is the list's
/// version. Two nodes edited at once therefore converge: the later statement applies its change to what the earlier left.
/// </summary>
public static class ChannelListRules
{
    /// <summary>The edit <paramref name="statement"/> makes, or null when it is the node's previous statement again.</summary>
    public static ChannelListEdited? Decide(ChannelListModel model, StateChannels statement)
    {
        var digests = statement.Channels.ToImmutableSortedDictionary(c => c.Id, Digest, StringComparer.Ordinal);
        var removed = statement.Removed.Where(id => !digests.ContainsKey(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        IEnumerable<ChannelSettings> put;
        IEnumerable<string> dropped;
        if (model.Statements.TryGetValue(statement.Origin, out var previous))
        {
            if (previous.Digests.Count == digests.Count && digests.All(d => previous.Digests.TryGetValue(d.Key, out var was) && was == d.Value)
                && previous.Removed.SequenceEqual(removed, StringComparer.Ordinal))
            {
                return null;
            }
            put = statement.Channels.Where(c => !previous.Digests.TryGetValue(c.Id, out var was) || was != digests[c.Id]);
            dropped = previous.Digests.Keys.Where(id => !digests.ContainsKey(id)).Concat(removed.Except(previous.Removed, StringComparer.Ordinal));
        }
        else
        {
            put = statement.Channels.Where(c => !model.Channels.ContainsKey(c.Id));
            dropped = removed;
        }
        return new ChannelListEdited(statement.Origin, digests, removed,
            [.. put.Where(c => !model.Channels.TryGetValue(c.Id, out var running) || Digest(running) != digests[c.Id]).OrderBy(c => c.Id, StringComparer.Ordinal)],
            [.. dropped.Where(id => model.Channels.ContainsKey(id) && !digests.ContainsKey(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    public static ChannelListModel Apply(ChannelListModel model, ChannelListEdited edited) => model with
    {
        Channels = model.Channels.SetItems(edited.Put.Select(c => KeyValuePair.Create(c.Id, c))).RemoveRange(edited.Dropped),
        Statements = model.Statements.SetItem(edited.Origin, new OriginStatement(edited.Origin, edited.Digests, edited.Removed)),
    };

    /// <summary>What <paramref name="edited"/> changed in <paramref name="before"/>: added, updated and removed ids.</summary>
    public static (IReadOnlyList<string> Added, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed) Changes(ChannelListModel before, ChannelListEdited? edited) =>
        edited is null
            ? ([], [], [])
            : ([.. edited.Put.Where(c => !before.Channels.ContainsKey(c.Id)).Select(c => c.Id)],
                [.. edited.Put.Where(c => before.Channels.ContainsKey(c.Id)).Select(c => c.Id)],
                edited.Dropped);

    public static ChannelListModel FromSnapshot(ChannelListSnapshot snapshot) => new(
        snapshot.Channels.ToImmutableSortedDictionary(c => c.Id, c => c, StringComparer.Ordinal),
        snapshot.Statements.ToImmutableSortedDictionary(s => s.Origin, s => s, StringComparer.Ordinal));

    public static ChannelListSnapshot ToSnapshot(ChannelListModel model) => new(model.List, [.. model.Statements.Values]);

    /// <summary>A channel's settings as the node states them, hashed (SHA-256 of their wire form, the first 16 bytes in hex).</summary>
    public static string Digest(ChannelSettings settings) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(settings, RecorderMessages.JsonOptions)), 0, 16);
}
