using ActorRecorder.Actors;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Delivers one part to one target at a time and answers with the outcome; the channel persists each
/// <c>PartUploaded</c> before it asks for the next, so after a crash only parts without it are sent again.
/// Deliveries of all channels share the node's upload gate, which bounds how many run at once.
/// </summary>
public sealed class UploaderActor : ReceiveActor
{
    public UploaderActor(IReadOnlyDictionary<string, IUploadTarget> targets, SemaphoreSlim gate)
    {
        var log = Context.GetLogger();
        ReceiveAsync<PostStatus>(async post =>
        {
            var requester = Sender;
            if (BoardOf(targets) is not { } board)
            {
                return;
            }
            try
            {
                requester.Tell(new StatusPosted(post.SessionId, await board.PostAsync(post.Text, CancellationToken.None).ConfigureAwait(false)), Self);
            }
            catch (Exception ex) when (ex is Telegram.TelegramApiException or IOException or HttpRequestException or OperationCanceledException)
            {
                log.LogWarning("the status message of {Session} could not be posted: {Reason}", post.SessionId, ex.Message);
            }
        });
        ReceiveAsync<EditStatus>(async edit =>
        {
            if (BoardOf(targets) is not { } board)
            {
                return;
            }
            try
            {
                var link = edit.FirstPartLocation is null ? null : board.LinkTo(edit.FirstPartLocation);
                var text = link is null ? edit.Text : $"{edit.Text}\nFirst part: {link}";
                await board.EditAsync(edit.MessageId, text, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Telegram.TelegramApiException or IOException or HttpRequestException or OperationCanceledException)
            {
                log.LogWarning("the status message {Message} could not be edited: {Reason}", edit.MessageId, ex.Message);
            }
        });
        ReceiveAsync<DeliverPart>(async request =>
        {
            var requester = Sender;
            var item = request.Item;
            if (!targets.TryGetValue(request.Target, out var target))
            {
                requester.Tell(new DeliveryFailed(item.SessionId, item.Part.Number, request.Target, $"no upload target named '{request.Target}'", Permanent: true));
                return;
            }
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var location = await target.DeliverAsync(item, CancellationToken.None).ConfigureAwait(false);
                requester.Tell(new PartDelivered(item.SessionId, item.Part.Number, request.Target, location), Self);
            }
            catch (PartTooLargeException ex)
            {
                requester.Tell(new DeliveryFailed(item.SessionId, item.Part.Number, request.Target, ex.Message, Permanent: false, TooLarge: true), Self);
            }
            catch (DeliveryRejectedException ex)
            {
                requester.Tell(new DeliveryFailed(item.SessionId, item.Part.Number, request.Target, ex.Message, Permanent: true), Self);
            }
            catch (Exception ex) when (ex is DeliveryDeferredException or IOException or HttpRequestException or TimeoutException or OperationCanceledException)
            {
                requester.Tell(new DeliveryFailed(item.SessionId, item.Part.Number, request.Target, ex.Message, Permanent: false), Self);
            }
            finally
            {
                gate.Release();
            }
        });
    }

    private static IStatusBoard? BoardOf(IReadOnlyDictionary<string, IUploadTarget> targets) =>
        targets.Values.OfType<IStatusBoard>().FirstOrDefault();

    public static Props Props(IReadOnlyDictionary<string, IUploadTarget> targets, SemaphoreSlim gate) =>
        Actors.Props.Create(() => new UploaderActor(targets, gate));
}
