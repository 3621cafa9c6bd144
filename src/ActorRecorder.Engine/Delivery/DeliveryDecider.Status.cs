using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Monitor;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// The status board (the destination that shows the channel's status, if one does): a platform announcing a broadcast (not
/// live yet) gets one WAITING message, edited when the announcement changes. The session that starts next takes it over
/// (edited to LIVE, then to delivered); one that outlives the board's waiting timeout is deleted. Journaled, so a restart
/// neither posts a second WAITING message nor forgets to expire the first. The rules say what a message tells
/// (<see cref="StatusNote"/>); the board words it.
/// </summary>
public static partial class DeliveryDecider
{
    /// <summary>The destination that shows the channel's status; null when none does.</summary>
    private static DeliveryTarget? Board(DecisionBuilder d) => d.Settings?.Delivery.Board;

    /// <summary>
    /// Posts (or edits) the WAITING message of an announced broadcast; the channel calls it only while it is offline and
    /// may record. An announcement whose message expired gets no second one.
    /// </summary>
    internal static void PostWaiting(DecisionBuilder d, BroadcastScheduled scheduled)
    {
        if (Board(d) is not { } board
            || d.P.Expired is { } expired && expired.Title == scheduled.Title && expired.StartsAt == scheduled.StartsAt)
        {
            return;
        }
        var note = new StatusNote(StatusKind.Waiting, d.ChannelId, scheduled.Title) { StartsAt = scheduled.StartsAt };
        if (d.P.Waiting is { } waiting)
        {
            if (waiting.Title != scheduled.Title || waiting.StartsAt != scheduled.StartsAt)
            {
                d.Emit(new WaitingMessagePosted(waiting.MessageId, scheduled.Title, scheduled.StartsAt, d.Now));
                d.Do(new ToUploader(d.Delivery.Worker, new EditStatus(board.Name, waiting.MessageId, note, null)));
            }
            return;
        }
        if (!d.Delivery.WaitingPostPending)
        {
            d.SetDelivery(s => s with { WaitingPostPending = true });
            d.Do(new ToUploader(d.Delivery.Worker, new PostWaiting(board.Name, note)));
        }
    }

    /// <summary>
    /// The WAITING message is on the board (or could not be posted). If the broadcast started meanwhile, the open session
    /// takes it over as its LIVE message (the session did not post one of its own while this one was on its way).
    /// </summary>
    internal static void WaitingPosted(DecisionBuilder d, WaitingPosted posted)
    {
        d.SetDelivery(s => s with { WaitingPostPending = false });
        if (Board(d) is not { } board)
        {
            return;
        }
        if (d.P.Current is { StatusMessageId: null } session)
        {
            var live = new StatusNote(StatusKind.Live, d.ChannelId, session.Title);
            if (posted.MessageId is { } id)
            {
                d.Emit(new StatusMessagePosted(session.Id, id, d.Now));
                d.Do(new ToUploader(d.Delivery.Worker, new EditStatus(board.Name, id, live, null)));
            }
            else
            {
                d.Do(new ToUploader(d.Delivery.Worker, new PostStatus(board.Name, session.Id, live)));
            }
            return;
        }
        if (posted.MessageId is { } messageId && d.P.Waiting is null && d.P.Current is null)
        {
            d.Emit(new WaitingMessagePosted(messageId, posted.Title, posted.StartsAt, d.Now));
            ArmWaitingExpiry(d);
        }
    }

    internal static void WaitingExpired(DecisionBuilder d, string messageId)
    {
        if (d.P.Waiting is not { } waiting || waiting.MessageId != messageId)
        {
            return; // a session took it over, or a newer message replaced it
        }
        d.Emit(new WaitingMessageExpired(messageId, d.Now));
        if (Board(d) is { } board)
        {
            var expired = new StatusNote(StatusKind.Expired, d.ChannelId, waiting.Title) { StartsAt = waiting.StartsAt };
            d.Do(new ToUploader(d.Delivery.Worker, new DeleteStatus(board.Name, messageId, expired)));
        }
    }

    /// <summary>The timer for the WAITING message's expiry, counted from when it was first posted (a restart re-arms it).</summary>
    internal static void ArmWaitingExpiry(DecisionBuilder d)
    {
        if (d.P.Waiting is { } waiting && Board(d) is { } board)
        {
            var left = waiting.PostedAt + board.WaitingTimeout - d.Now;
            d.Do(new StartTimer("waiting-expiry", new WaitingExpiryDue(waiting.MessageId), left > TimeSpan.Zero ? left : TimeSpan.Zero));
        }
    }

    /// <summary>
    /// A new session's status message: the WAITING message when there is one (edited to LIVE), none yet when one is being
    /// posted (its answer hands it over), else a new LIVE message.
    /// </summary>
    internal static void PostSessionStatus(DecisionBuilder d, string sessionId, string? title, WaitingMessage? waiting)
    {
        if (Board(d) is not { } board)
        {
            return;
        }
        var live = new StatusNote(StatusKind.Live, d.ChannelId, title);
        if (waiting is not null)
        {
            d.Do(new CancelTimer("waiting-expiry"));
            d.Emit(new StatusMessagePosted(sessionId, waiting.MessageId, d.Now));
            d.Do(new ToUploader(d.Delivery.Worker, new EditStatus(board.Name, waiting.MessageId, live, null)));
        }
        else if (!d.Delivery.WaitingPostPending)
        {
            d.Do(new ToUploader(d.Delivery.Worker, new PostStatus(board.Name, sessionId, live)));
        }
    }
}
