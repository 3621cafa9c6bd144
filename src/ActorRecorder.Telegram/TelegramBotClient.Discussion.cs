using System.Collections.Concurrent;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ActorRecorder.Telegram;

// Comments under a channel post: the post's automatic forward in the linked discussion group, found in the bot's updates.
public sealed partial class TelegramBotClient
{
    private const int MaxForwardsKept = 1000;

    private readonly SemaphoreSlim _polling = new(1, 1);
    private readonly ConcurrentDictionary<(string Chat, long Message), long> _forwards = new();
    private int _updateOffset;

    /// <summary>
    /// The id, in the channel's linked discussion group, of the automatic forward of channel post
    /// <paramref name="channelMessageId"/> of <paramref name="channel"/> (by id or @username; a comment is a reply to it); null when it
    /// was not seen within <paramref name="wait"/>. Reads the bot's updates (<c>getUpdates</c>, long polling, one poll at a
    /// time per client) and keeps every automatic forward it sees, so channels waiting together share one poll.
    /// </summary>
    /// <remarks>The updates are the recorder's: a bot that also runs a webhook or another poller gets 409 here, and null.</remarks>
    public async Task<long?> FindAutomaticForwardAsync(ChatId channel, long channelMessageId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetUtcNow() + wait;
        var key = (channel.ToString(), channelMessageId);
        while (true)
        {
            if (_forwards.TryGetValue(key, out var found))
                return found;
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return null;
            await _polling.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_forwards.ContainsKey(key))
                    continue;
                var seconds = (int)Math.Clamp(Math.Ceiling(left.TotalSeconds), 1, 5);
                var request = new GetUpdatesRequest { Offset = _updateOffset, Timeout = seconds, AllowedUpdates = [UpdateType.Message] };
                foreach (var update in await CallAsync(request, chat: null, _options.MinTimeout + TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false))
                {
                    _updateOffset = Math.Max(_updateOffset, update.Id + 1);
                    if (update.Message is { IsAutomaticForward: true, ForwardOrigin: MessageOriginChannel origin } message)
                    {
                        if (_forwards.Count >= MaxForwardsKept)
                            _forwards.Clear();
                        _forwards[(origin.Chat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), origin.MessageId)] = message.MessageId;
                        if (origin.Chat.Username is { } username)
                            _forwards[("@" + username, origin.MessageId)] = message.MessageId;
                    }
                }
            }
            catch (TelegramApiException ex) when (ex.Kind == TelegramErrorKind.Fatal)
            {
                return null; // 409: another poller or a webhook has the updates
            }
            finally
            {
                _polling.Release();
            }
        }
    }

    /// <summary>
    /// Sends a text message replying to <paramref name="replyTo"/>: a message of <paramref name="chatId"/>, or, with
    /// <paramref name="replyChat"/>, of another chat (a quote of it). Sent even if that message is gone.
    /// </summary>
    public async Task<TelegramMessage> SendReplyAsync(ChatId chatId, string text, long replyTo, ChatId? replyChat = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var request = new SendMessageRequest
        {
            ChatId = chatId.ToBot(),
            Text = text,
            ReplyParameters = new ReplyParameters { MessageId = checked((int)replyTo), ChatId = replyChat?.ToBot(), AllowSendingWithoutReply = true },
        };
        return Read(await CallAsync(request, chatId, _options.MinTimeout, cancellationToken).ConfigureAwait(false));
    }
}
