using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ActorRecorder.Telegram.FakeServer;

// The four methods: validation as Telegram does it, then the stored record and the Message answer.
public sealed partial class FakeBotApi
{
    private const int MaxCaption = 1024;
    private const int MaxText = 4096;

    private async Task SendVideoAsync(HttpContext context, FakeForm form, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (ChatOf(form) is not { } chat)
        {
            await BadChatAsync(context, form);
            return;
        }

        string? localPath = null;
        FakeFile? video = form.Files.GetValueOrDefault("video");
        if (video is null && form.Field("video") is { } reference)
        {
            if (reference.StartsWith("attach://", StringComparison.Ordinal))
            {
                video = form.Files.GetValueOrDefault(reference["attach://".Length..]);
            }
            else if (reference.StartsWith("file://", StringComparison.Ordinal))
            {
                localPath = reference["file://".Length..];
                if (!Path.IsPathRooted(localPath) || !File.Exists(localPath))
                {
                    await ErrorAsync(context, 400, "Bad Request: invalid file HTTP URL specified: file not found");
                    return;
                }
                await using var file = File.OpenRead(localPath);
                var (size, sha256) = await FakeForm.HashAsync(file, cancellationToken);
                video = new FakeFile("video", Path.GetFileName(localPath), size, sha256);
            }
            else
            {
                await ErrorAsync(context, 400, "Bad Request: wrong file identifier/HTTP URL specified");
                return;
            }
        }
        if (video is null)
        {
            await ErrorAsync(context, 400, "Bad Request: there is no video in the request");
            return;
        }

        var caption = form.Field("caption");
        if (caption is { Length: > MaxCaption })
        {
            await ErrorAsync(context, 400, "Bad Request: message caption is too long");
            return;
        }

        FakeFile? thumbnail = form.Files.GetValueOrDefault("thumbnail");
        if (thumbnail is null && form.Field("thumbnail") is { } thumbnailReference)
        {
            var part = thumbnailReference.StartsWith("attach://", StringComparison.Ordinal)
                ? thumbnailReference["attach://".Length..]
                : null;
            thumbnail = part is null ? null : form.Files.GetValueOrDefault(part);
            if (thumbnail is null)
            {
                await ErrorAsync(context, 400, $"Bad Request: can't find attached file \"{part ?? thumbnailReference}\" for the thumbnail");
                return;
            }
        }

        var messageId = NextMessageId(chat);
        var received = new ReceivedRequest("sendVideo", chat, messageId, at)
        {
            FileName = video.FileName,
            LocalPath = localPath,
            Size = video.Size,
            Sha256 = video.Sha256,
            Caption = caption,
            Duration = Int(form.Field("duration")),
            Width = Int(form.Field("width")),
            Height = Int(form.Field("height")),
            SupportsStreaming = IsTrue(form.Field("supports_streaming")),
            HasThumbnail = thumbnail is not null,
            ThumbnailSize = thumbnail?.Size ?? 0,
            Fields = form.Fields,
        };
        Remember(chat, messageId, null);
        Store(received);

        var message = Message(chat, messageId, at);
        if (caption is not null)
            message["caption"] = caption;
        message["video"] = VideoJson(video, received.Duration, received.Width, received.Height);
        await OkAsync(context, message);
    }

    /// <summary>
    /// An album: 2 to 10 videos in <c>media</c> (JSON), each an <c>attach://</c> file part of the form; the messages get
    /// consecutive ids and one <c>media_group_id</c>, in the order given. Validation as Telegram's: all or nothing.
    /// </summary>
    private async Task SendMediaGroupAsync(HttpContext context, FakeForm form, DateTimeOffset at)
    {
        if (ChatOf(form) is not { } chat)
        {
            await BadChatAsync(context, form);
            return;
        }
        JsonArray? media;
        try
        {
            media = JsonNode.Parse(form.Field("media") ?? "") as JsonArray;
        }
        catch (System.Text.Json.JsonException)
        {
            media = null;
        }
        if (media is null)
        {
            await ErrorAsync(context, 400, "Bad Request: can't parse media JSON object");
            return;
        }
        if (media.Count is < 2 or > 10)
        {
            await ErrorAsync(context, 400, "Bad Request: wrong number of messages in the media group: must be between 2 and 10");
            return;
        }
        var items = new List<(JsonObject Item, FakeFile Video, FakeFile? Thumbnail)>();
        foreach (var node in media)
        {
            if (node is not JsonObject item || (string?)item["type"] != "video" || (string?)item["media"] is not { } reference
                || !reference.StartsWith("attach://", StringComparison.Ordinal) || form.Files.GetValueOrDefault(reference["attach://".Length..]) is not { } video)
            {
                await ErrorAsync(context, 400, "Bad Request: wrong file identifier/HTTP URL specified");
                return;
            }
            if (((string?)item["caption"])?.Length > MaxCaption)
            {
                await ErrorAsync(context, 400, "Bad Request: message caption is too long");
                return;
            }
            var thumbnail = (string?)item["thumbnail"] is { } t && t.StartsWith("attach://", StringComparison.Ordinal)
                ? form.Files.GetValueOrDefault(t["attach://".Length..])
                : null;
            items.Add((item, video, thumbnail));
        }
        var group = "1" + Number(Interlocked.Increment(ref _mediaGroups));
        var messages = new JsonArray();
        foreach (var (item, video, thumbnail) in items)
        {
            var messageId = NextMessageId(chat);
            var caption = (string?)item["caption"];
            Remember(chat, messageId, null);
            Store(new ReceivedRequest("sendMediaGroup", chat, messageId, at)
            {
                FileName = video.FileName,
                Size = video.Size,
                Sha256 = video.Sha256,
                Caption = caption,
                Duration = (int?)item["duration"],
                Width = (int?)item["width"],
                Height = (int?)item["height"],
                SupportsStreaming = (bool?)item["supports_streaming"] ?? false,
                HasThumbnail = thumbnail is not null,
                ThumbnailSize = thumbnail?.Size ?? 0,
                MediaGroupId = group,
                Fields = form.Fields,
            });
            var message = Message(chat, messageId, at);
            message["media_group_id"] = group;
            if (caption is not null)
                message["caption"] = caption;
            message["video"] = VideoJson(video, (int?)item["duration"], (int?)item["width"], (int?)item["height"]);
            messages.Add(message);
        }
        await OkAsync(context, messages);
    }

    private async Task SendMessageAsync(HttpContext context, FakeForm form, DateTimeOffset at)
    {
        if (ChatOf(form) is not { } chat)
        {
            await BadChatAsync(context, form);
            return;
        }
        var text = form.Field("text");
        if (string.IsNullOrEmpty(text))
        {
            await ErrorAsync(context, 400, "Bad Request: message text is empty");
            return;
        }
        if (text.Length > MaxText)
        {
            await ErrorAsync(context, 400, "Bad Request: message is too long");
            return;
        }
        var replyTo = ReplyOf(form, chat, out var replyMissing);
        if (replyMissing)
        {
            await ErrorAsync(context, 400, "Bad Request: message to be replied not found");
            return;
        }
        var messageId = NextMessageId(chat);
        Remember(chat, messageId, text);
        Store(new ReceivedRequest("sendMessage", chat, messageId, at) { Text = text, ReplyTo = replyTo, Fields = form.Fields });
        var message = Message(chat, messageId, at);
        message["text"] = text;
        if (replyTo is { } reply && reply.Chat == chat)
            message["reply_to_message"] = Message(chat, reply.Id, at);
        await OkAsync(context, message);
    }

    /// <summary>The <c>chat_id</c> and <c>message_id</c> of a request about one message; null once the error is answered.</summary>
    private static async Task<(string Chat, long MessageId)?> MessageOfAsync(HttpContext context, FakeForm form)
    {
        if (ChatOf(form) is not { } chat)
        {
            await BadChatAsync(context, form);
            return null;
        }
        if (!long.TryParse(form.Field("message_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var messageId))
        {
            await ErrorAsync(context, 400, "Bad Request: message identifier is not specified");
            return null;
        }
        return (chat, messageId);
    }

    private async Task EditMessageTextAsync(HttpContext context, FakeForm form, DateTimeOffset at)
    {
        if (await MessageOfAsync(context, form) is not (string chat, long messageId))
        {
            return;
        }
        var text = form.Field("text");
        if (string.IsNullOrEmpty(text))
        {
            await ErrorAsync(context, 400, "Bad Request: message text is empty");
            return;
        }
        string? previous;
        bool found;
        lock (_lock)
            found = _messageTexts.TryGetValue((chat, messageId), out previous);
        if (!found)
        {
            await ErrorAsync(context, 400, "Bad Request: message to edit not found");
            return;
        }
        if (previous == text)
        {
            await ErrorAsync(context, 400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            return;
        }
        Remember(chat, messageId, text);
        Store(new ReceivedRequest("editMessageText", chat, messageId, at) { Text = text, Fields = form.Fields });
        var message = Message(chat, messageId, at);
        message["text"] = text;
        message["edit_date"] = at.ToUnixTimeSeconds();
        await OkAsync(context, message);
    }

    private async Task GetMeAsync(HttpContext context, DateTimeOffset at)
    {
        var colon = _token.IndexOf(':', StringComparison.Ordinal);
        var id = long.TryParse(colon > 0 ? _token[..colon] : string.Empty, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1;
        Store(new ReceivedRequest("getMe", null, 0, at));
        await OkAsync(context, new JsonObject
        {
            ["id"] = id,
            ["is_bot"] = true,
            ["first_name"] = "Fake Bot",
            ["username"] = "fake_recorder_bot",
            ["can_join_groups"] = true,
        });
    }

    // A chat_id is an integer or a channel @username; anything else is a chat Telegram cannot find.
    private static string? ChatOf(FakeForm form, string field = "chat_id") => form.Field(field) switch
    {
        { } id when long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => Number(number),
        { Length: > 1 } name when name[0] == '@' => name,
        _ => null,
    };

    private static Task BadChatAsync(HttpContext context, FakeForm form) =>
        ErrorAsync(context, 400, string.IsNullOrEmpty(form.Field("chat_id")) ? "Bad Request: chat_id is empty" : "Bad Request: chat not found");

    private void Remember(string chat, long messageId, string? text)
    {
        lock (_lock)
            _messageTexts[(chat, messageId)] = text;
    }

    private static JsonObject Message(string chat, long messageId, DateTimeOffset at)
    {
        var numeric = long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id);
        var chatObject = new JsonObject
        {
            // An @username gets a stable made-up channel id.
            ["id"] = numeric ? id : -1_000_000_000_000L - (StableHash(chat) % 1_000_000_000L),
            ["type"] = !numeric || id <= -1_000_000_000_000L ? "channel" : id < 0 ? "group" : "private",
        };
        if (!numeric)
            chatObject["username"] = chat[1..];
        return new JsonObject
        {
            ["message_id"] = messageId,
            ["date"] = at.ToUnixTimeSeconds(),
            ["chat"] = chatObject,
        };
    }

    private static JsonObject VideoJson(FakeFile video, int? duration, int? width, int? height) => new()
    {
        ["duration"] = duration ?? 0,
        ["width"] = width ?? 0,
        ["height"] = height ?? 0,
        ["file_name"] = video.FileName,
        ["mime_type"] = "video/mp4",
        ["file_id"] = "BAAC" + video.Sha256[..24],
        ["file_unique_id"] = "AgAD" + video.Sha256[..12],
        ["file_size"] = video.Size,
    };

    private static long StableHash(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (var c in text)
            hash = (hash ^ c) * 1099511628211;
        return (long)(hash >> 1);
    }

    private static int? Int(string? value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static bool IsTrue(string? value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
}
