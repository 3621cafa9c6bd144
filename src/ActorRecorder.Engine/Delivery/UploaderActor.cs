using ActorRecorder.Actors;

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

    public static Props Props(IReadOnlyDictionary<string, IUploadTarget> targets, SemaphoreSlim gate) =>
        Actors.Props.Create(() => new UploaderActor(targets, gate));
}
