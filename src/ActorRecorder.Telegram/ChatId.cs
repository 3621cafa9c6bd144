using System.Globalization;

namespace ActorRecorder.Telegram;

/// <summary>A chat: a numeric id (negative for groups and channels) or a public channel's <c>@username</c>.</summary>
public readonly record struct ChatId
{
    private ChatId(long? id, string? username) => (Id, Username) = (id, username);

    /// <summary>The numeric id, or null for an <c>@username</c>.</summary>
    public long? Id { get; }

    /// <summary>The <c>@username</c>, or null for a numeric id.</summary>
    public string? Username { get; }

    /// <summary>Groups and channels (negative ids, <c>@usernames</c>) get Telegram's 20 messages per minute limit.</summary>
    public bool IsGroup => Username is not null || Id < 0;

    /// <summary>A numeric chat id.</summary>
    public static implicit operator ChatId(long id) => new(id, null);

    /// <summary>Parses <c>-1001234567890</c> or <c>@channel</c>.</summary>
    /// <exception cref="FormatException">Neither a number nor an <c>@username</c>.</exception>
    public static ChatId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            return new ChatId(id, null);
        if (value.Length > 1 && value[0] == '@')
            return new ChatId(null, value);
        throw new FormatException($"Chat id '{value}' is neither a number (e.g. -1001234567890) nor a channel @username.");
    }

    /// <summary>The same chat as Telegram.Bot names it.</summary>
    internal global::Telegram.Bot.Types.ChatId ToBot() => Id is { } id ? new global::Telegram.Bot.Types.ChatId(id) : new global::Telegram.Bot.Types.ChatId(Username!);

    public override string ToString() =>
        Id?.ToString(CultureInfo.InvariantCulture) ?? Username ?? string.Empty;
}
