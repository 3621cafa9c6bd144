using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ActorRecorder.Telegram.FakeServer;

// deleteMessage and copyMessages: they work on the messages the fake created (and did not delete).
public sealed partial class FakeBotApi
{
    private static readonly HashSet<string> Sends = new(StringComparer.Ordinal) { "sendVideo", "sendMediaGroup", "sendMessage", "copyMessages", "automaticForward" };

    private readonly HashSet<(string Chat, long Id)> _deleted = [];

    /// <summary>The messages of <paramref name="chat"/> that exist (sent or copied there, not deleted), in id order.</summary>
    public IReadOnlyList<ReceivedRequest> MessagesIn(string chat)
    {
        lock (_lock)
            return [.. _received.Where(r => r.ChatId == chat && Sends.Contains(r.Method) && !_deleted.Contains((chat, r.MessageId))).OrderBy(r => r.MessageId)];
    }

    private ReceivedRequest? Existing(string chat, long id)
    {
        lock (_lock)
            return _deleted.Contains((chat, id)) ? null : _received.Find(r => r.ChatId == chat && r.MessageId == id && Sends.Contains(r.Method));
    }

    private async Task DeleteMessageAsync(HttpContext context, FakeForm form, DateTimeOffset at)
    {
        if (await MessageOfAsync(context, form) is not (string chat, long messageId))
        {
            return;
        }
        if (Existing(chat, messageId) is null)
        {
            await ErrorAsync(context, 400, "Bad Request: message to delete not found");
            return;
        }
        lock (_lock)
        {
            _deleted.Add((chat, messageId));
            _messageTexts.Remove((chat, messageId));
        }
        Store(new ReceivedRequest("deleteMessage", chat, messageId, at) { Fields = form.Fields });
        await OkAsync(context, JsonValue.Create(true));
    }

    /// <summary>
    /// Copies 1 to 100 messages, given in strictly increasing order, from <c>from_chat_id</c>; the copies get new ids in
    /// the target chat, in order, and messages of one album stay one album (a new <c>media_group_id</c>). Answers
    /// <c>[{"message_id": n}, ...]</c>.
    /// </summary>
    private async Task CopyMessagesAsync(HttpContext context, FakeForm form, DateTimeOffset at)
    {
        if (ChatOf(form) is not { } chat)
        {
            await BadChatAsync(context, form);
            return;
        }
        if (ChatOf(form, "from_chat_id") is not { } from)
        {
            await ErrorAsync(context, 400, "Bad Request: chat not found");
            return;
        }
        List<long>? ids;
        try
        {
            ids = (JsonNode.Parse(form.Field("message_ids") ?? "") as JsonArray)?.Select(n => (long)n!).ToList();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            ids = null;
        }
        if (ids is null || ids.Count is < 1 or > 100)
        {
            await ErrorAsync(context, 400, "Bad Request: message_ids must be a list of 1-100 message identifiers");
            return;
        }
        if (ids.Zip(ids.Skip(1)).Any(p => p.Second <= p.First))
        {
            await ErrorAsync(context, 400, "Bad Request: message identifiers must be in strictly increasing order");
            return;
        }
        var originals = ids.Select(id => Existing(from, id)).ToList();
        if (originals.Any(o => o is null))
        {
            await ErrorAsync(context, 400, "Bad Request: message to copy not found");
            return;
        }
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        var answer = new JsonArray();
        foreach (var original in originals)
        {
            var messageId = NextMessageId(chat);
            var group = original!.MediaGroupId is { } g
                ? groups.TryGetValue(g, out var copy) ? copy : groups[g] = "1" + Number(Interlocked.Increment(ref _mediaGroups))
                : null;
            Remember(chat, messageId, original.Text);
            Store(original with
            {
                Method = "copyMessages",
                ChatId = chat,
                MessageId = messageId,
                At = at,
                MediaGroupId = group,
                CopyOf = (from, original.MessageId),
                Fields = form.Fields,
            });
            answer.Add(new JsonObject { ["message_id"] = messageId });
        }
        await OkAsync(context, answer);
    }
}
