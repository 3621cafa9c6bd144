using System.Text;

namespace ActorRecorder.Telegram;

/// <summary>Settings of one <see cref="TelegramBotClient"/>.</summary>
public sealed record TelegramOptions
{
    /// <summary>Bot API root without the <c>/bot&lt;token&gt;</c> part; a local Bot API server's URL in local mode.</summary>
    public string ApiBaseUrl { get; init; } = "https://api.telegram.org";

    /// <summary>The bot token from @BotFather. Secret: never printed (see <see cref="PrintMembers"/>).</summary>
    public required string BotToken { get; init; }

    /// <summary>
    /// True when <see cref="ApiBaseUrl"/> is a local Bot API server (<c>--local</c>) that reads files itself:
    /// sendVideo then sends <c>file:///absolute/path</c> instead of the bytes. The path must be visible to that server.
    /// </summary>
    public bool LocalMode { get; init; }

    /// <summary>Upload speed limit in bytes per second shared by all uploads of the client; 0 = unlimited.</summary>
    public long SpeedLimit { get; init; }

    /// <summary>Retries after a rate limit or a transient failure, per call; 0 = try once.</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>Timeout of a request without a file, and the fixed part of an upload's timeout.</summary>
    public TimeSpan MinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Bytes per second an upload is expected to reach at least: an upload's timeout is
    /// <see cref="MinTimeout"/> + size / min(<see cref="MinThroughput"/>, <see cref="SpeedLimit"/> when set).
    /// </summary>
    public long MinThroughput { get; init; } = 256 * 1024;

    /// <summary>First back-off after a transient failure; doubles per retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest back-off after a transient failure.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BotToken))
            throw new ArgumentException("TelegramOptions.BotToken is empty: set the token @BotFather gave the bot.", nameof(BotToken));
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"TelegramOptions.ApiBaseUrl '{ApiBaseUrl}' is not an absolute http(s) URL.", nameof(ApiBaseUrl));
        if (SpeedLimit < 0)
            throw new ArgumentException($"TelegramOptions.SpeedLimit is {SpeedLimit}: use bytes per second, or 0 for unlimited.", nameof(SpeedLimit));
        if (MaxRetries < 0)
            throw new ArgumentException($"TelegramOptions.MaxRetries is {MaxRetries}: use 0 or more.", nameof(MaxRetries));
        if (MinTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"TelegramOptions.MinTimeout is {MinTimeout}: use a positive duration.", nameof(MinTimeout));
        if (MinThroughput <= 0)
            throw new ArgumentException($"TelegramOptions.MinThroughput is {MinThroughput}: use bytes per second above 0.", nameof(MinThroughput));
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
            throw new ArgumentException($"TelegramOptions.InitialBackoff ({InitialBackoff}) must be 0 or more and at most MaxBackoff ({MaxBackoff}).", nameof(InitialBackoff));
    }

    // Records print every property; the token must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ApiBaseUrl = {ApiBaseUrl}, BotToken = ***, LocalMode = {LocalMode}, SpeedLimit = {SpeedLimit}, ");
        builder.Append($"MaxRetries = {MaxRetries}, MinTimeout = {MinTimeout}, MinThroughput = {MinThroughput}, ");
        builder.Append($"InitialBackoff = {InitialBackoff}, MaxBackoff = {MaxBackoff}");
        return true;
    }
}
