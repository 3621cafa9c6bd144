using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// Announced broadcasts: the channel decides whether one gets a WAITING message (offline, allowed to record, no session open);
/// the status board's rules (<see cref="DeliveryDecider"/>) post, hand over and expire it.
/// </summary>
public static partial class ChannelDecider
{
    /// <summary>
    /// An announcement means the channel is not live now, whatever it was a moment ago (a platform often announces the next
    /// broadcast the moment one ends): the recording is treated as after an offline answer. The announcement is remembered,
    /// so a session still open gets its WAITING message once it has ended.
    /// </summary>
    private static void BroadcastScheduled(DecisionBuilder d, BroadcastScheduled scheduled)
    {
        d.Set(r => r with { Announced = scheduled });
        if (d.P.Current is not null)
        {
            WentOffline(d, "the platform announces a broadcast that has not started");
            return;
        }
        PostWaiting(d, scheduled);
    }

    /// <summary>The announcement remembered while the session ran gets its WAITING message now that the session has ended.</summary>
    private static void PostRememberedAnnouncement(DecisionBuilder d)
    {
        if (d.R.Announced is { } announced && d.P.Current is null)
        {
            PostWaiting(d, announced);
        }
    }

    private static void PostWaiting(DecisionBuilder d, BroadcastScheduled scheduled)
    {
        if (d.P.Mode == ChannelMode.Offline && MayRecord(d))
        {
            DeliveryDecider.PostWaiting(d, scheduled);
        }
    }
}
