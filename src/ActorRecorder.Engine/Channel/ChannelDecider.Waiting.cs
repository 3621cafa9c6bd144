using System.Globalization;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// WAITING messages: a platform announcing a broadcast (not live yet) gets one status message "WAITING: title (starts
/// at ...)", edited when the announcement changes. The session that starts next takes it over (edited to LIVE, then DONE
/// when delivered); one that outlives <c>waiting-timeout</c> is deleted. Journaled, so a restart neither posts a second
/// WAITING message nor forgets to expire the first.
/// </summary>
public static partial class ChannelDecider
{
    /// <summary>The channel's status messages go to its telegram target's chat (none without one).</summary>
    private static bool HasStatusBoard(ChannelSettings settings) =>
        settings.Delivery.Telegram is not null && settings.Delivery.Targets.Contains("telegram");

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
        if (d.Settings is not { } settings || !HasStatusBoard(settings) || d.P.Mode != ChannelMode.Offline || !MayRecord(d)
            || d.P.Expired is { } expired && expired.Title == scheduled.Title && expired.StartsAt == scheduled.StartsAt)
        {
            return; // (an announcement whose message expired gets no second one)
        }
        var text = WaitingText(d, scheduled.Title, scheduled.StartsAt);
        if (d.P.Waiting is { } waiting)
        {
            if (waiting.Title != scheduled.Title || waiting.StartsAt != scheduled.StartsAt)
            {
                d.Emit(new WaitingMessagePosted(waiting.MessageId, scheduled.Title, scheduled.StartsAt, d.Now));
                d.Do(new ToUploader(d.R.Worker, new EditStatus(waiting.MessageId, text, null)));
            }
            return;
        }
        if (!d.R.WaitingPostPending)
        {
            d.Set(r => r with { WaitingPostPending = true });
            d.Do(new ToUploader(d.R.Worker, new PostWaiting(scheduled.Title, scheduled.StartsAt, text)));
        }
    }

    /// <summary>
    /// The WAITING message is in the chat (or could not be posted). If the broadcast started meanwhile, the open session
    /// takes it over as its LIVE message (the session did not post one of its own while this one was on its way).
    /// </summary>
    private static void WaitingPosted(DecisionBuilder d, WaitingPosted posted)
    {
        d.Set(r => r with { WaitingPostPending = false });
        if (d.P.Current is { StatusMessageId: null } session)
        {
            if (posted.MessageId is { } id)
            {
                d.Emit(new StatusMessagePosted(session.Id, id, d.Now));
                d.Do(new ToUploader(d.R.Worker, new EditStatus(id, LiveText(d, session.Title), null)));
            }
            else
            {
                d.Do(new ToUploader(d.R.Worker, new PostStatus(session.Id, LiveText(d, session.Title))));
            }
            return;
        }
        if (posted.MessageId is { } messageId && d.P.Waiting is null && d.P.Current is null)
        {
            d.Emit(new WaitingMessagePosted(messageId, posted.Title, posted.StartsAt, d.Now));
            ArmWaitingExpiry(d);
        }
    }

    private static void WaitingExpired(DecisionBuilder d, string messageId)
    {
        if (d.P.Waiting is not { } waiting || waiting.MessageId != messageId)
        {
            return; // a session took it over, or a newer message replaced it
        }
        d.Emit(new WaitingMessageExpired(messageId, d.Now));
        var expired = $"⌛ EXPIRED: {waiting.Title ?? d.ChannelId} (announced for {When(waiting.StartsAt)}; it did not start)";
        d.Do(new ToUploader(d.R.Worker, new DeleteStatus(messageId, expired)));
    }

    /// <summary>The timer for the WAITING message's expiry, counted from when it was first posted (a restart re-arms it).</summary>
    private static void ArmWaitingExpiry(DecisionBuilder d)
    {
        if (d.P.Waiting is { } waiting && d.Settings?.Delivery.Telegram is { } telegram)
        {
            var left = waiting.PostedAt + telegram.WaitingTimeout - d.Now;
            d.Do(new StartTimer("waiting-expiry", new WaitingExpiryDue(waiting.MessageId), left > TimeSpan.Zero ? left : TimeSpan.Zero));
        }
    }

    /// <summary>
    /// A new session's status message: the WAITING message when there is one (edited to LIVE), none yet when one is being
    /// posted (its answer hands it over), else a new LIVE message.
    /// </summary>
    private static void PostSessionStatus(DecisionBuilder d, string sessionId, string? title, WaitingMessage? waiting)
    {
        if (d.Settings is not { } settings || !HasStatusBoard(settings))
        {
            return;
        }
        if (waiting is not null)
        {
            d.Do(new CancelTimer("waiting-expiry"));
            d.Emit(new StatusMessagePosted(sessionId, waiting.MessageId, d.Now));
            d.Do(new ToUploader(d.R.Worker, new EditStatus(waiting.MessageId, LiveText(d, title), null)));
        }
        else if (!d.R.WaitingPostPending)
        {
            d.Do(new ToUploader(d.R.Worker, new PostStatus(sessionId, LiveText(d, title))));
        }
    }

    private static string LiveText(DecisionBuilder d, string? title) => $"🔴 LIVE: {title ?? d.ChannelId}";

    private static string WaitingText(DecisionBuilder d, string? title, DateTimeOffset? startsAt) =>
        $"⏳ WAITING: {title ?? d.ChannelId} (starts at {When(startsAt)})";

    private static string When(DateTimeOffset? at) =>
        at is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "a time not announced";
}
