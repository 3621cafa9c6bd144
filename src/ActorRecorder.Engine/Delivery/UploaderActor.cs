using Akka.Actor;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Delivers parts to targets and answers with the outcome, naming the request and this worker's
/// incarnation; the channel persists each <c>PartUploaded</c> before it asks for the next, so after a crash
/// only parts without it are sent again. When the worker is stopped (the channel replaced it, or stopped)
/// its uploads are cancelled: a replaced worker never completes a part behind the channel's back.
/// Deliveries of all channels share the node's upload gate, which bounds how many run at once.
/// </summary>
public sealed partial class UploaderActor : ReceiveActor
{
    private readonly IReadOnlyDictionary<string, IUploadTarget> _targets;
    private readonly SemaphoreSlim _gate;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopped = new();

    public UploaderActor(IReadOnlyDictionary<string, IUploadTarget> targets, SemaphoreSlim gate, EngineServices services)
    {
        _targets = targets;
        _gate = gate;
        _log = services.LoggerFactory.CreateLogger<UploaderActor>();
        Receive<DeliverPart>(request => DeliverAsync(request, _stopped.Token).PipeTo(Sender, Self,
            failure: ex => new DeliveryFailed(request.RequestId, request.Worker, request.Item.SessionId, request.Item.Part.Number, request.Target, ex.Message, Permanent: false)));
        Receive<DeliverAlbum>(request => DeliverAlbumAsync(request, _stopped.Token).PipeTo(Sender, Self,
            failure: ex => new DeliveryFailed(request.RequestId, request.Worker, request.Items[0].SessionId, request.Items[0].Part.Number, request.Target, ex.Message, Permanent: false)));
        Receive<CopyParts>(request => CopyAsync(request, _stopped.Token).PipeTo(Sender, Self,
            failure: ex => new DeliveryFailed(request.RequestId, request.Worker, request.SessionId, request.Parts[0], request.Target, ex.Message, Permanent: false)));
        Receive<PostComment>(request => CommentAsync(request, _stopped.Token).PipeTo(Sender, Self,
            failure: ex => new DeliveryFailed(request.RequestId, request.Worker, request.SessionId, -1, request.Target, ex.Message, Permanent: false)));
        ReceiveForBoard<PostWaiting>(post => post.Board, PostWaitingAsync);
        ReceiveForBoard<DeleteStatus>(delete => delete.Board, (board, delete, _, ct) => DeleteAsync(board, delete, ct));
        ReceiveForBoard<PostStatus>(post => post.Board, PostAsync);
        ReceiveForBoard<EditStatus>(edit => edit.Board, (board, edit, _, ct) => EditAsync(board, edit.MessageId, edit.Note, edit.FirstPartLocation, ct));
    }

    /// <summary>A status-message request: run in the background on the board it names; ignored when no such board is here.</summary>
    private void ReceiveForBoard<T>(Func<T, string> boardOf, Func<IStatusBoard, T, IActorRef, CancellationToken, Task> run) => Receive<T>(message =>
    {
        if (_targets.GetValueOrDefault(boardOf(message)) is IStatusBoard board)
        {
            _ = run(board, message, Sender, _stopped.Token);
        }
    });

    public static Props Props(IReadOnlyDictionary<string, IUploadTarget> targets, SemaphoreSlim gate, EngineServices services) =>
        Akka.Actor.Props.Create(() => new UploaderActor(targets, gate, services));

    /// <summary>The targets a channel's delivery settings name, built from the node's shared services.</summary>
    public static IReadOnlyDictionary<string, IUploadTarget> TargetsFor(DeliverySettings delivery, EngineServices services)
    {
        var targets = new Dictionary<string, IUploadTarget>(StringComparer.Ordinal)
        {
            [ArchiveTarget.TargetName] = new ArchiveTarget(delivery.ArchivePath),
        };
        if (delivery.Rclone is { } rclone)
        {
            targets[RcloneTarget.TargetName] = new RcloneTarget(rclone);
        }
        if (delivery.Telegram is { } telegram)
        {
            var target = new TelegramTarget(() => services.TelegramClient(telegram), telegram);
            targets[target.Name] = target;
            if (target.Backup is { } backup)
            {
                targets[backup.Name] = backup;
            }
        }
        return targets;
    }

    protected override void PostStop()
    {
        _stopped.Cancel();
        _stopped.Dispose();
    }

    private Task<IChannelInput> DeliverAsync(DeliverPart request, CancellationToken cancellationToken)
    {
        var item = request.Item;
        return RunAsync(request.Target, (reason, permanent, tooLarge) =>
                new DeliveryFailed(request.RequestId, request.Worker, item.SessionId, item.Part.Number, request.Target, reason, permanent, tooLarge),
            async target => new PartDelivered(request.RequestId, request.Worker, item.SessionId, item.Part.Number, request.Target,
                await target.DeliverAsync(item, cancellationToken).ConfigureAwait(false)),
            cancellationToken);
    }

    /// <summary>An album: all its parts or none. Refused as too large, its largest part is the one to cut (Telegram does not say which).</summary>
    private Task<IChannelInput> DeliverAlbumAsync(DeliverAlbum request, CancellationToken cancellationToken)
    {
        var first = request.Items[0];
        var largest = request.Items.MaxBy(i => i.Part.Bytes)!.Part.Number;
        return RunAsync(request.Target, (reason, permanent, tooLarge) =>
                new DeliveryFailed(request.RequestId, request.Worker, first.SessionId, tooLarge ? largest : first.Part.Number, request.Target, reason, permanent, tooLarge),
            async target =>
            {
                if (target is not IAlbumTarget albums)
                {
                    throw new DeliveryRejectedException($"the target '{request.Target}' takes no albums");
                }
                var locations = await albums.DeliverAlbumAsync(request.Items, cancellationToken).ConfigureAwait(false);
                return new AlbumDelivered(request.RequestId, request.Worker, first.SessionId, [.. request.Items.Select(i => i.Part.Number)], request.Target, [.. locations]);
            },
            cancellationToken);
    }

    private Task<IChannelInput> CopyAsync(CopyParts request, CancellationToken cancellationToken) =>
        RunAsync(request.Target, (reason, permanent, _) =>
                new DeliveryFailed(request.RequestId, request.Worker, request.SessionId, request.Parts[0], request.Target, reason, permanent),
            async target =>
            {
                if (target is not ICopyTarget copier)
                {
                    throw new DeliveryRejectedException($"the target '{request.Target}' copies nothing");
                }
                var copies = await copier.CopyAsync(request.Sources, cancellationToken).ConfigureAwait(false);
                return new AlbumDelivered(request.RequestId, request.Worker, request.SessionId, request.Parts, request.Target, [.. copies]);
            },
            cancellationToken);

    /// <summary>The comment goes through the target that holds the post (its discussion group).</summary>
    private Task<IChannelInput> CommentAsync(PostComment request, CancellationToken cancellationToken) =>
        RunAsync(request.Target, (reason, permanent, _) =>
                new DeliveryFailed(request.RequestId, request.Worker, request.SessionId, -1, request.Target, reason, permanent),
            async target => target is ICommentTarget commenter
                ? new CommentPosted(request.RequestId, request.Worker, request.SessionId,
                    await commenter.CommentAsync(request.PostLocation, request.Summary, cancellationToken).ConfigureAwait(false))
                : throw new DeliveryRejectedException($"the target '{request.Target}' takes no comments"),
            cancellationToken);

    /// <summary>Runs one delivery through the node's upload gate and turns its failure into the channel's answer.</summary>
    private async Task<IChannelInput> RunAsync(string targetName, Func<string, bool, bool, DeliveryFailed> failed,
        Func<IUploadTarget, Task<IChannelInput>> deliver, CancellationToken cancellationToken)
    {
        if (!_targets.TryGetValue(targetName, out var target))
        {
            return failed($"no upload target named '{targetName}'", true, false);
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await deliver(target).ConfigureAwait(false);
        }
        catch (PartTooLargeException ex)
        {
            return failed(ex.Message, false, true);
        }
        catch (DeliveryRejectedException ex)
        {
            return failed(ex.Message, true, false);
        }
        catch (Exception ex) when (ex is DeliveryDeferredException or IOException or HttpRequestException or TimeoutException
                                       or Telegram.TelegramApiException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return failed(ex.Message, false, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Best effort: the status message is posted once, never retried (a second LIVE message is worse than none).</summary>
    private async Task PostAsync(IStatusBoard board, PostStatus post, IActorRef channel, CancellationToken cancellationToken)
    {
        try
        {
            channel.Tell(new StatusPosted(post.SessionId, await board.PostAsync(post.Note, cancellationToken).ConfigureAwait(false)));
        }
        catch (Exception ex) when (ex is Telegram.TelegramApiException or IOException or HttpRequestException or OperationCanceledException or DeliveryDeferredException)
        {
            LogStatusFailed(_log, post.SessionId, ex.Message);
        }
    }

    /// <summary>Best effort, answered either way: the channel must know whether a WAITING message exists.</summary>
    private async Task PostWaitingAsync(IStatusBoard board, PostWaiting post, IActorRef channel, CancellationToken cancellationToken)
    {
        string? id = null;
        try
        {
            id = await board.PostAsync(post.Note, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Telegram.TelegramApiException or IOException or HttpRequestException or OperationCanceledException or DeliveryDeferredException)
        {
            LogStatusFailed(_log, "the scheduled broadcast", ex.Message);
        }
        channel.Tell(new WaitingPosted(id, post.Note.Title, post.Note.StartsAt));
    }

    /// <summary>Deletes a status message; if Telegram will not (too old, no right), marks it expired instead.</summary>
    private async Task DeleteAsync(IStatusBoard board, DeleteStatus delete, CancellationToken cancellationToken)
    {
        try
        {
            await board.DeleteAsync(delete.MessageId, cancellationToken).ConfigureAwait(false);
        }
        catch (Telegram.TelegramApiException ex) when (ex.Kind == Telegram.TelegramErrorKind.Fatal)
        {
            LogDeleteRefused(_log, delete.MessageId, ex.Message);
            await EditAsync(board, delete.MessageId, delete.Expired, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Telegram.TelegramApiException or IOException or HttpRequestException or OperationCanceledException or DeliveryDeferredException)
        {
            LogEditFailed(_log, delete.MessageId, ex.Message);
        }
    }

    private async Task EditAsync(IStatusBoard board, string messageId, StatusNote note, string? firstPartLocation, CancellationToken cancellationToken)
    {
        try
        {
            await board.EditAsync(messageId, note, firstPartLocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Telegram.TelegramApiException or IOException or HttpRequestException or OperationCanceledException or DeliveryDeferredException)
        {
            LogEditFailed(_log, messageId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the status message of {Session} could not be posted: {Reason}")]
    private static partial void LogStatusFailed(ILogger logger, string session, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "the status message {Message} could not be deleted ({Reason}): marking it expired")]
    private static partial void LogDeleteRefused(ILogger logger, string message, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the status message {Message} could not be edited or deleted: {Reason}")]
    private static partial void LogEditFailed(ILogger logger, string message, string reason);
}
