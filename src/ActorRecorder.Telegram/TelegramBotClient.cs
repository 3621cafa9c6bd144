using ActorRecorder.Telegram.Internal;

namespace ActorRecorder.Telegram;

/// <summary>
/// A Bot API client for the recorder's uploads: <c>sendVideo</c> streamed from disk, <c>sendMessage</c>,
/// <c>editMessageText</c> and <c>getMe</c>.
/// </summary>
/// <remarks>
/// Every call is paced per chat (<see cref="ChatPacer"/>), has its own timeout (<see cref="TelegramOptions.MinTimeout"/>,
/// plus size / <see cref="TelegramOptions.MinThroughput"/> for uploads) and is retried by one rule (<see cref="TelegramRetry"/>):
/// 429 after <c>retry_after</c>, transient failures with exponential back-off, <see cref="TelegramErrorKind.TooLarge"/> and
/// <see cref="TelegramErrorKind.Fatal"/> never. A call that gives up throws <see cref="TelegramApiException"/>; cancelling
/// <c>cancellationToken</c> throws <see cref="OperationCanceledException"/>. Note that a retried send whose first attempt
/// reached Telegram but whose answer was lost (reset, timeout) can post the message twice: the Bot API has no idempotency key.
/// Thread-safe; the client does not own the <see cref="HttpClient"/>.
/// </remarks>
public sealed partial class TelegramBotClient
{
    private readonly HttpClient _http;
    private readonly TelegramOptions _options;
    private readonly TimeProvider _time;
    private readonly TelegramRetry _retry;
    private readonly ChatPacer _pacer;
    private readonly SpeedLimiter? _speedLimiter;

    /// <summary>Creates a client.</summary>
    /// <param name="http">An <see cref="HttpClient"/> whose <see cref="HttpClient.Timeout"/> is infinite (see <see cref="CreateHttpClient"/>): the client times each request itself.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="time">Clock for retry waits, pacing, the speed limit and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">An invalid setting, or an <see cref="HttpClient"/> with a finite timeout.</exception>
    public TelegramBotClient(HttpClient http, TelegramOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (http.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException(
                $"HttpClient.Timeout is {http.Timeout}; it must be Timeout.InfiniteTimeSpan because uploads are timed by their size "
                + "(TelegramOptions.MinTimeout + size / MinThroughput). Use TelegramBotClient.CreateHttpClient().", nameof(http));
        }
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
        _retry = new TelegramRetry(options, _time);
        _pacer = new ChatPacer(_time);
        _speedLimiter = options.SpeedLimit > 0 ? new SpeedLimiter(options.SpeedLimit, _time) : null;
    }

    /// <summary>Published before each retry wait (runs on the calling flow; keep it quick).</summary>
    public event Action<TelegramRetryNotice>? Retrying;

    /// <summary>An <see cref="HttpClient"/> suited to this client: infinite <see cref="HttpClient.Timeout"/>, pooled connections recycled every 5 minutes.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Sends a video file; returns the message Telegram created.</summary>
    /// <remarks>The file is streamed from disk (re-opened on every attempt) through the speed limit; memory does not grow with its size.</remarks>
    /// <exception cref="FileNotFoundException">The video or thumbnail does not exist.</exception>
    /// <exception cref="TelegramApiException">The call failed and was not (or no longer) retried.</exception>
    public async Task<TelegramMessage> SendVideoAsync(SendVideo request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var video = new FileInfo(request.VideoPath);
        if (!video.Exists)
            throw new FileNotFoundException($"sendVideo: video file '{video.FullName}' does not exist.", video.FullName);
        var thumbnail = request.ThumbnailPath is null ? null : new FileInfo(request.ThumbnailPath);
        if (thumbnail is { Exists: false })
            throw new FileNotFoundException($"sendVideo: thumbnail '{thumbnail.FullName}' does not exist.", thumbnail.FullName);

        var timeout = UploadTimeout(video.Length + (thumbnail?.Length ?? 0));
        var result = await CallAsync(
            "sendVideo", request.ChatId, () => BuildVideoContent(request, video, thumbnail), timeout,
            expectContinue: !_options.LocalMode, cancellationToken).ConfigureAwait(false);
        return BotApiModels.ReadMessage(result);
    }

    /// <summary>Sends a text message (at most 4,096 characters, else the API answers 400 → <see cref="TelegramErrorKind.Fatal"/>).</summary>
    /// <param name="chatId">Target chat.</param>
    /// <param name="text">Message text.</param>
    /// <param name="parseMode"><c>HTML</c> or <c>MarkdownV2</c>, or null for plain text.</param>
    /// <param name="disableNotification">Send silently.</param>
    /// <param name="cancellationToken">Cancels waits and the request.</param>
    public async Task<TelegramMessage> SendMessageAsync(
        ChatId chatId, string text, string? parseMode = null, bool disableNotification = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = await CallAsync(
            "sendMessage", chatId,
            () => JsonBody(w =>
            {
                w.WriteString("chat_id", chatId.ToString());
                w.WriteString("text", text);
                if (parseMode is not null)
                    w.WriteString("parse_mode", parseMode);
                if (disableNotification)
                    w.WriteBoolean("disable_notification", true);
            }),
            _options.MinTimeout, expectContinue: false, cancellationToken).ConfigureAwait(false);
        return BotApiModels.ReadMessage(result);
    }

    /// <summary>Replaces the text of a message the bot sent.</summary>
    /// <remarks>Unchanged text is answered "message is not modified" (400 → <see cref="TelegramErrorKind.Fatal"/>).</remarks>
    public async Task<TelegramMessage> EditMessageTextAsync(
        ChatId chatId, long messageId, string text, string? parseMode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = await CallAsync(
            "editMessageText", chatId,
            () => JsonBody(w =>
            {
                w.WriteString("chat_id", chatId.ToString());
                w.WriteNumber("message_id", messageId);
                w.WriteString("text", text);
                if (parseMode is not null)
                    w.WriteString("parse_mode", parseMode);
            }),
            _options.MinTimeout, expectContinue: false, cancellationToken).ConfigureAwait(false);
        return BotApiModels.ReadMessage(result);
    }

    /// <summary>The bot's own user: a cheap check that the token and the API URL work.</summary>
    public async Task<TelegramUser> GetMeAsync(CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("getMe", chat: null, () => null, _options.MinTimeout, expectContinue: false, cancellationToken)
            .ConfigureAwait(false);
        return BotApiModels.ReadUser(result);
    }

    private TimeSpan UploadTimeout(long bytes)
    {
        var throughput = _options.SpeedLimit > 0 ? Math.Min(_options.MinThroughput, _options.SpeedLimit) : _options.MinThroughput;
        return _options.MinTimeout + TimeSpan.FromSeconds(bytes / (double)throughput);
    }
}
