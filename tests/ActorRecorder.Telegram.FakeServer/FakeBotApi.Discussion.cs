using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ActorRecorder.Telegram.FakeServer;

// Linked discussion groups: a channel's posts are forwarded to its group automatically, and the bot sees the forwards in
// its updates (getUpdates, with long polling and offsets); replies (reply_parameters) to a message of the chat or of another.
public sealed partial class FakeBotApi
{
    private readonly Dictionary<string, string> _discussions = new(StringComparer.Ordinal);
    private readonly List<(long Id, JsonObject Update)> _updates = [];
    private long _lastUpdateId;
    private TaskCompletionSource _updateArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _polling;

    /// <summary>
    /// Links <paramref name="channel"/> to the discussion group <paramref name="group"/>, as a channel's settings do: from
    /// now on every message posted in the channel appears in the group as an automatic forward (method
    /// <c>automaticForward</c> in <see cref="MessagesIn"/>), and in the bot's updates.
    /// </summary>
    public void LinkDiscussion(string channel, string group)
    {
        lock (_lock)
            _discussions[channel] = group;
    }

    /// <summary>A message posted in a linked channel: its automatic forward in the group, and the update announcing it.</summary>
    private void ForwardToDiscussion(ReceivedRequest posted)
    {
        string? group;
        lock (_lock)
            group = posted.ChatId is { } chat && Sends.Contains(posted.Method) && posted.Method != "automaticForward" ? _discussions.GetValueOrDefault(chat) : null;
        if (group is null)
        {
            return;
        }
        var id = NextMessageId(group);
        Store(posted with { Method = "automaticForward", ChatId = group, MessageId = id, CopyOf = (posted.ChatId!, posted.MessageId), ReplyTo = null });
        var channel = (JsonObject)Message(posted.ChatId!, posted.MessageId, posted.At)["chat"]!.DeepClone();
        var message = Message(group, id, posted.At);
        message["chat"]!["type"] = "supergroup";
        message["is_automatic_forward"] = true;
        message["sender_chat"] = channel.DeepClone();
        message["forward_origin"] = new JsonObject
        {
            ["type"] = "channel",
            ["chat"] = channel,
            ["message_id"] = posted.MessageId,
            ["date"] = posted.At.ToUnixTimeSeconds(),
        };
        if (posted.Text is { } text)
            message["text"] = text;
        lock (_lock)
        {
            _updates.Add((++_lastUpdateId, new JsonObject { ["update_id"] = _lastUpdateId, ["message"] = message }));
            _updateArrived.TrySetResult();
            _updateArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>
    /// <c>getUpdates</c>: <c>offset</c> confirms (drops) every earlier update; with none pending it waits up to <c>timeout</c>
    /// seconds for one. A second poll while one is open gets 409, as Telegram answers two bot instances.
    /// </summary>
    private async Task GetUpdatesAsync(HttpContext context, FakeForm form, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            await ErrorAsync(context, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
            return;
        }
        try
        {
            var offset = Int(form.Field("offset")) ?? 0;
            var limit = Math.Clamp(Int(form.Field("limit")) ?? 100, 1, 100);
            var timeout = Math.Max(0, Int(form.Field("timeout")) ?? 0);
            Task arrived;
            lock (_lock)
            {
                _updates.RemoveAll(u => u.Id < offset);
                arrived = _updateArrived.Task;
            }
            if (!HasUpdates() && timeout > 0)
            {
                await Task.WhenAny(arrived, Task.Delay(TimeSpan.FromSeconds(timeout), _time, cancellationToken));
            }
            JsonArray result;
            lock (_lock)
                result = [.. _updates.Take(limit).Select(u => (JsonNode)u.Update.DeepClone())];
            Store(new ReceivedRequest("getUpdates", null, 0, at) { Fields = form.Fields });
            await OkAsync(context, result);
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private bool HasUpdates()
    {
        lock (_lock)
            return _updates.Count > 0;
    }

    /// <summary>
    /// The message a <c>reply_parameters</c> names (in its <c>chat_id</c>, or in <paramref name="chat"/>): null when there is
    /// none; <c>Missing</c> when it names a message that does not exist (and does not allow sending without it).
    /// </summary>
    private (string Chat, long Id)? ReplyOf(FakeForm form, string chat, out bool missing)
    {
        missing = false;
        if (form.Field("reply_parameters") is not { } json || JsonNode.Parse(json) is not JsonObject reply || (long?)reply["message_id"] is not { } id)
        {
            return null;
        }
        var replyChat = reply["chat_id"] is { } other ? Convert.ToString(other.GetValue<object>(), CultureInfo.InvariantCulture)! : chat;
        if (Existing(replyChat, id) is not null)
        {
            return (replyChat, id);
        }
        missing = (bool?)reply["allow_sending_without_reply"] != true;
        return null;
    }
}
