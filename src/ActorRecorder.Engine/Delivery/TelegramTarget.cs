using System.Globalization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Telegram;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Posts parts to a Telegram chat with the Bot API client (streamed upload, caption from the template,
/// duration, size and thumbnail). The client already waits out 429s and retries transient errors; what it
/// still throws is sorted here: a refusal retrying cannot fix (bad chat, bot not admin, file too big) fails
/// the session with Telegram's reason; anything else defers the part for a later retry.
/// </summary>
/// <remarks>
/// The backup chat is a second instance (<see cref="Backup"/>) that copies what the first delivered (<c>copyMessages</c>).
/// </remarks>
public sealed class TelegramTarget(Func<TelegramBotClient> client, TelegramTargetSettings settings, string name = TelegramTarget.TargetName)
    : IUploadTarget, IAlbumTarget, IStatusBoard, ICopyTarget, ICommentTarget
{
    /// <summary>The name a channel's <c>upload.targets</c> uses, and its uploads are journaled under.</summary>
    public const string TargetName = "telegram";

    /// <summary>The name under which copies to the backup chat are journaled, like a target's uploads.</summary>
    public const string BackupName = "telegram-backup";

    /// <summary>
    /// What the delivery rules need to know: the chat takes albums (of the album size), comments in its discussion group when
    /// one is set, shows the channel's status; its backup chat, when set, copies every part right after it.
    /// </summary>
    public static IEnumerable<DeliveryTarget> Describe(TelegramTargetSettings settings)
    {
        yield return new DeliveryTarget(TargetName, settings.MaxPartBytes)
        {
            AlbumSize = settings.AlbumSize,
            Comments = settings.DiscussionChatId is not null,
            StatusBoard = true,
            WaitingTimeout = settings.WaitingTimeout,
        };
        if (settings.BackupChatId is not null)
        {
            yield return new DeliveryTarget(BackupName, settings.MaxPartBytes) { CopiesFrom = TargetName };
        }
    }

    /// <summary>
    /// The node's client for the token this node's configuration sets now (a reload may have rotated it); without one,
    /// the delivery waits and is tried again, and resumes once the node's configuration sets it.
    /// </summary>
    /// <exception cref="DeliveryDeferredException">This node's configuration sets no bot token.</exception>
    private TelegramBotClient Client
    {
        get
        {
            try
            {
                return client();
            }
            catch (SecretMissingException e)
            {
                throw new DeliveryDeferredException(e.Message, e);
            }
        }
    }

    /// <summary>How long a comment waits for the post's automatic forward to show in the bot's updates.</summary>
    private static readonly TimeSpan ForwardWait = TimeSpan.FromSeconds(30);

    private readonly ChatId _chat = ChatId.Parse(settings.ChatId);

    public string Name => name;

    /// <summary>The target that copies this one's messages to its backup chat; null when it has none.</summary>
    public TelegramTarget? Backup => settings.BackupChatId is { } backup
        ? new TelegramTarget(client, settings with { ChatId = backup, BackupChatId = null }, BackupName)
        : null;

    /// <summary>
    /// Copies messages (locations <c>chat/id</c>, all of one chat) here, in batches of 100 (Telegram's limit), in order.
    /// </summary>
    public async Task<IReadOnlyList<string>> CopyAsync(IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        var from = ChatId.Parse(sources[0][..sources[0].LastIndexOf('/')]);
        var copies = new List<string>(sources.Count);
        foreach (var batch in sources.Select(s => long.Parse(s[(s.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture)).Chunk(100))
        {
            var ids = await SendAsync(() => Client.CopyMessagesAsync(_chat, from, batch, cancellationToken), $"the copies of {batch.Length} message(s)", 0)
                .ConfigureAwait(false);
            copies.AddRange(ids.Select(id => $"{_chat}/{id.ToString(CultureInfo.InvariantCulture)}"));
        }
        return copies;
    }

    public async Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var label = item.Part.Number == Channel.Session.CompressedCopy ? "compressed" : item.Part.Number.ToString(CultureInfo.InvariantCulture);
        var message = await SendAsync(() => Client.SendVideoAsync(Video(item, Caption(item, label)), cancellationToken),
            $"part {label}", item.Part.Bytes).ConfigureAwait(false);
        return Location(message);
    }

    /// <summary>The parts as one album (<c>sendMediaGroup</c>): the caption, naming the parts it holds, on the first video.</summary>
    public async Task<IReadOnlyList<string>> DeliverAlbumAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var parts = $"{items[0].Part.Number}–{items[^1].Part.Number}";
        var videos = items.Select((item, i) => Video(item, i == 0 ? Caption(item, parts) : null)).ToList();
        var messages = await SendAsync(() => Client.SendVideoAlbumAsync(_chat, videos, cancellationToken), $"parts {parts}", items.Sum(i => i.Part.Bytes))
            .ConfigureAwait(false);
        return [.. messages.Select(Location)];
    }

    /// <summary>
    /// A reply to the post's automatic forward in the discussion group: a comment under the post. When the forward is not
    /// seen in time (the updates went elsewhere, or the group is not linked), a reply in the group quoting the channel post.
    /// </summary>
    public async Task<string> CommentAsync(string postLocation, CommentSummary summary, CancellationToken cancellationToken)
    {
        var group = ChatId.Parse(settings.DiscussionChatId ?? throw new DeliveryRejectedException("no discussion group is configured"));
        var post = long.Parse(postLocation[(postLocation.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
        var text = CaptionTemplate.Render(settings.DiscussionTemplate, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["channel"] = summary.ChannelId,
            ["title"] = summary.Title ?? summary.ChannelId,
            ["start"] = summary.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["duration"] = summary.Duration.ToString(summary.Duration.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture),
            ["parts"] = summary.PartCount.ToString(CultureInfo.InvariantCulture),
            ["link"] = LinkTo(postLocation) ?? "",
        });
        var message = await SendAsync(async () =>
        {
            var forward = await Client.FindAutomaticForwardAsync(_chat, post, ForwardWait, cancellationToken).ConfigureAwait(false);
            return forward is { } id
                ? await Client.SendReplyAsync(group, text, id, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await Client.SendReplyAsync(group, text, post, _chat, cancellationToken).ConfigureAwait(false);
        }, "the discussion comment", 0).ConfigureAwait(false);
        return $"{group}/{message.MessageId.ToString(CultureInfo.InvariantCulture)}";
    }

    private string Caption(DeliveryItem item, string part) =>
        CaptionTemplate.Render(settings.CaptionTemplate, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["channel"] = item.ChannelId,
            ["title"] = item.Title ?? item.ChannelId,
            ["start"] = item.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["part"] = part,
            ["parts"] = item.PartCount.ToString(CultureInfo.InvariantCulture),
            ["duration"] = item.Part.Duration.ToString(item.Part.Duration.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture),
        });

    private SendVideo Video(DeliveryItem item, string? caption) => new(_chat, item.Part.Path)
    {
        Caption = caption,
        Duration = item.Part.Duration,
        Width = item.Part.Width,
        Height = item.Part.Height,
        ThumbnailPath = item.Part.ThumbnailPath,
    };

    private string Location(TelegramMessage message) => $"{_chat}/{message.MessageId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Telegram's failures as the uploader's: too large (cut it), refused for good, or not yet.</summary>
    private static async Task<T> SendAsync<T>(Func<Task<T>> send, string what, long bytes)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (TelegramApiException ex) when (ex.Kind is TelegramErrorKind.TooLarge)
        {
            throw new PartTooLargeException($"Telegram refused {what} ({bytes} bytes) as too big: {ex.Description}", ex);
        }
        catch (TelegramApiException ex) when (ex.Kind is TelegramErrorKind.Fatal)
        {
            throw new DeliveryRejectedException($"Telegram refused {what}: {ex.Description}", ex);
        }
        catch (TelegramApiException ex)
        {
            throw new DeliveryDeferredException($"Telegram did not take {what} yet: {ex.Description}", ex);
        }
    }

    public async Task<string> PostAsync(StatusNote note, CancellationToken cancellationToken)
    {
        var message = await Client.SendMessageAsync(_chat, Text(note), cancellationToken: cancellationToken).ConfigureAwait(false);
        return message.MessageId.ToString(CultureInfo.InvariantCulture);
    }

    public Task DeleteAsync(string messageId, CancellationToken cancellationToken) =>
        Client.DeleteMessageAsync(_chat, long.Parse(messageId, CultureInfo.InvariantCulture), cancellationToken);

    public Task EditAsync(string messageId, StatusNote note, string? firstPartLocation, CancellationToken cancellationToken)
    {
        var text = Text(note);
        if (firstPartLocation is not null && LinkTo(firstPartLocation) is { } link)
        {
            text = $"{text}\nFirst part: {link}";
        }
        return Client.EditMessageTextAsync(_chat, long.Parse(messageId, CultureInfo.InvariantCulture), text, cancellationToken: cancellationToken);
    }

    /// <summary>A status message's text, as the chat shows it.</summary>
    public static string Text(StatusNote note)
    {
        var title = note.Title ?? note.ChannelId;
        return note.Kind switch
        {
            StatusKind.Waiting => $"⏳ WAITING: {title} (starts at {When(note.StartsAt)})",
            StatusKind.Live => $"🔴 LIVE: {title}",
            StatusKind.Expired => $"⌛ EXPIRED: {title} (announced for {When(note.StartsAt)}; it did not start)",
            StatusKind.Delivered => $"✅ {title}: {note.Duration:g}, {note.Parts} part(s), delivered",
            _ => throw new ArgumentOutOfRangeException(nameof(note), note.Kind, "no such status"),
        };
    }

    private static string When(DateTimeOffset? at) =>
        at is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "a time not announced";

    /// <summary>t.me links: <c>t.me/name/id</c> for a public channel, <c>t.me/c/internal-id/id</c> for a private one.</summary>
    public string? LinkTo(string location)
    {
        var id = location[(location.LastIndexOf('/') + 1)..];
        if (_chat.Username is { } username)
        {
            return $"https://t.me/{username.TrimStart('@')}/{id}";
        }
        var chat = _chat.Id?.ToString(CultureInfo.InvariantCulture) ?? "";
        return chat.StartsWith("-100", StringComparison.Ordinal) ? $"https://t.me/c/{chat[4..]}/{id}" : null;
    }
}
