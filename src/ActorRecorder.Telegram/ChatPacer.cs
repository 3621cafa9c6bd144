namespace ActorRecorder.Telegram;

/// <summary>
/// Keeps within Telegram's per-chat limits: at least <see cref="MinInterval"/> between messages to one chat and at most
/// <see cref="GroupLimit"/> messages per <see cref="GroupWindow"/> to a group or channel. Other chats are not delayed.
/// </summary>
/// <remarks>
/// A call reserves its slot before waiting, so concurrent callers queue in call order. A cancelled wait keeps its
/// slot: the next message is spaced as if it had been sent, which errs on the safe side. The interval also counts from
/// the moment the previous request was answered (<see cref="Completed"/>), so Telegram, which counts a message when it
/// receives it, sees sequential messages at least <see cref="MinInterval"/> apart whatever the request took. Thread-safe.
/// </remarks>
public sealed class ChatPacer
{
    /// <summary>
    /// Least time between two messages to one chat: Telegram's second plus a margin, because Telegram counts
    /// on its side, where differences in request latency can bring two messages closer than they were sent.
    /// </summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(1050);

    /// <summary>The window of <see cref="GroupLimit"/>.</summary>
    public static readonly TimeSpan GroupWindow = TimeSpan.FromMinutes(1);

    /// <summary>Most messages per <see cref="GroupWindow"/> to a group or channel.</summary>
    public const int GroupLimit = 20;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<ChatId, Queue<DateTimeOffset>> _sent = [];
    private readonly Dictionary<ChatId, DateTimeOffset> _answered = [];

    /// <summary>Creates a pacer whose waits run on <paramref name="time"/>.</summary>
    public ChatPacer(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>Waits until a message may be sent to <paramref name="chat"/> and counts it as sent then.</summary>
    public Task WaitTurnAsync(ChatId chat, CancellationToken cancellationToken = default)
    {
        var wait = Reserve(chat);
        return wait > TimeSpan.Zero ? Task.Delay(wait, _time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Records that a request to <paramref name="chat"/> was answered (or failed) now: the next one waits <see cref="MinInterval"/> from here.</summary>
    public void Completed(ChatId chat)
    {
        lock (_lock)
            _answered[chat] = _time.GetUtcNow();
    }

    /// <summary>Books the next slot for <paramref name="chat"/>; returns how long until it.</summary>
    internal TimeSpan Reserve(ChatId chat)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (!_sent.TryGetValue(chat, out var sent))
                _sent[chat] = sent = new Queue<DateTimeOffset>();
            var slot = now;
            if (sent.Count > 0)
            {
                var last = sent.Last();
                if (last + MinInterval > slot)
                    slot = last + MinInterval;
            }
            if (_answered.TryGetValue(chat, out var answered) && answered + MinInterval > slot)
                slot = answered + MinInterval;
            var window = chat.IsGroup ? GroupWindow : MinInterval;
            while (sent.Count > 0 && sent.Peek() <= slot - window)
                sent.Dequeue();
            if (chat.IsGroup && sent.Count >= GroupLimit)
            {
                slot = sent.Peek() + GroupWindow;
                while (sent.Count > 0 && sent.Peek() <= slot - window)
                    sent.Dequeue();
            }
            sent.Enqueue(slot);
            return slot - now;
        }
    }
}
