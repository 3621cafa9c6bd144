using ActorRecorder.Telegram.Internal;
using Telegram.Bot.Requests;
using Telegram.Bot.Types.Enums;
using Bot = Telegram.Bot;

namespace ActorRecorder.Telegram;

/// <summary>
/// A Bot API client for the recorder's uploads: <c>sendVideo</c> streamed from disk, <c>sendMessage</c>,
/// <c>editMessageText</c> and <c>getMe</c>, over Telegram.Bot (its requests, models and multipart encoding); what is
/// ours is around it: per-chat pacing, the speed limit, timeouts sized to the file, the error classes, token masking.
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
    private readonly Bot.TelegramBotClient _bot;

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
        _speedLimiter = options.SpeedLimit > 0 ? new SpeedLimiter(options.SpeedLimit, ThrottledStream.MaxChunk, _time) : null;
        _bot = CreateBot(options, http);
        // An upload asks first (Expect: 100-continue): a refusal (413, a bad chat) comes before the file is sent.
        _bot.OnMakingApiRequest += (_, args, _) =>
        {
            if (args.Request is SendVideoRequest or SendMediaGroupRequest && !options.LocalMode && args.HttpRequestMessage is { } message)
                message.Headers.ExpectContinue = true;
            return default;
        };
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

        var message = await UploadAsync("sendVideo", video.Length + (thumbnail?.Length ?? 0), request.ChatId,
            opened => VideoRequest(request, video, thumbnail, opened), cancellationToken).ConfigureAwait(false);
        return Read(message);
    }

    /// <summary>
    /// Sends 2 to 10 videos as one album (<c>sendMediaGroup</c>), in the order given, the caption of each as given (the
    /// recorder puts one on the first); returns the messages Telegram created, in the same order. All or none: Telegram
    /// takes the album whole or refuses it.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 or more than 10 videos.</exception>
    /// <exception cref="FileNotFoundException">A video or thumbnail does not exist.</exception>
    /// <exception cref="TelegramApiException">The call failed and was not (or no longer) retried.</exception>
    public async Task<IReadOnlyList<TelegramMessage>> SendVideoAlbumAsync(ChatId chatId, IReadOnlyList<SendVideo> videos, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videos);
        if (videos.Count is < 2 or > 10)
            throw new ArgumentException($"an album holds 2 to 10 videos, not {videos.Count}", nameof(videos));
        var files = videos.Select(v => (Video: Existing(v.VideoPath, "video"), Thumbnail: v.ThumbnailPath is null ? null : Existing(v.ThumbnailPath, "thumbnail"))).ToList();
        var messages = await UploadAsync("sendMediaGroup", files.Sum(f => f.Video.Length + (f.Thumbnail?.Length ?? 0)), chatId,
            opened => new SendMediaGroupRequest
            {
                ChatId = chatId.ToBot(),
                Media = videos.Select((v, i) => (Bot.Types.IAlbumInputMedia)AlbumItem(v, files[i].Video, files[i].Thumbnail, opened)).ToList(),
                DisableNotification = videos[0].DisableNotification,
            }, cancellationToken).ConfigureAwait(false);
        return messages.Select(Read).ToList();
    }

    private static FileInfo Existing(string path, string what)
    {
        var file = new FileInfo(path);
        return file.Exists ? file : throw new FileNotFoundException($"sendMediaGroup: {what} '{file.FullName}' does not exist.", file.FullName);
    }

    /// <summary>An upload: timed by its size, paced for its chat, retried; every attempt builds a fresh request (the files are read from their start).</summary>
    private Task<T> UploadAsync<T>(string method, long bytes, ChatId chat, Func<List<Stream>, Bot.Requests.Abstractions.IRequest<T>> build,
        CancellationToken cancellationToken)
    {
        var timeout = UploadTimeout(bytes);
        return _retry.RunAsync(method, async ct =>
        {
            var opened = new List<Stream>();
            try
            {
                return await CallOnceAsync(build(opened), chat, timeout, ct).ConfigureAwait(false);
            }
            finally
            {
                foreach (var stream in opened)
                    await stream.DisposeAsync().ConfigureAwait(false);
            }
        }, Retrying, cancellationToken);
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
        var request = new SendMessageRequest
        {
            ChatId = chatId.ToBot(),
            Text = text,
            ParseMode = ParseModeOf(parseMode),
            DisableNotification = disableNotification,
        };
        return Read(await CallAsync(request, chatId, _options.MinTimeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Replaces the text of a message the bot sent.</summary>
    /// <remarks>Unchanged text is answered "message is not modified" (400 → <see cref="TelegramErrorKind.Fatal"/>).</remarks>
    public async Task<TelegramMessage> EditMessageTextAsync(
        ChatId chatId, long messageId, string text, string? parseMode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var request = new EditMessageTextRequest
        {
            ChatId = chatId.ToBot(),
            MessageId = checked((int)messageId),
            Text = text,
            ParseMode = ParseModeOf(parseMode),
        };
        return Read(await CallAsync(request, chatId, _options.MinTimeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes a message the bot sent (a bot may delete its own messages in a channel it administers).</summary>
    public async Task DeleteMessageAsync(ChatId chatId, long messageId, CancellationToken cancellationToken = default) =>
        await CallAsync(new DeleteMessageRequest { ChatId = chatId.ToBot(), MessageId = checked((int)messageId) }, chatId, _options.MinTimeout, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// Copies messages (<c>copyMessages</c>: 1 to 100, in the order given; albums stay albums) from one chat to another,
    /// without a link to the original; returns the copies' ids, in order.
    /// </summary>
    public async Task<IReadOnlyList<long>> CopyMessagesAsync(ChatId toChat, ChatId fromChat, IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var request = new CopyMessagesRequest
        {
            ChatId = toChat.ToBot(),
            FromChatId = fromChat.ToBot(),
            MessageIds = [.. messageIds.Select(id => checked((int)id))],
        };
        var copies = await CallAsync(request, toChat, _options.MinTimeout, cancellationToken).ConfigureAwait(false);
        return [.. copies.Select(c => (long)c.Id)];
    }

    /// <summary>The bot's own user: a cheap check that the token and the API URL work.</summary>
    public async Task<TelegramUser> GetMeAsync(CancellationToken cancellationToken = default)
    {
        var user = await CallAsync(new GetMeRequest(), chat: null, _options.MinTimeout, cancellationToken).ConfigureAwait(false);
        return new TelegramUser(user.Id, user.IsBot, user.FirstName, user.Username);
    }

    private static ParseMode ParseModeOf(string? parseMode) => parseMode is null ? default : Enum.Parse<ParseMode>(parseMode, ignoreCase: true);

    private static TelegramMessage Read(Bot.Types.Message message) =>
        new(message.MessageId, message.Chat.Id, new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)))
        {
            Text = message.Text,
            Caption = message.Caption,
            Video = message.Video is { } video
                ? new TelegramVideo(video.FileId, video.FileUniqueId)
                {
                    Duration = video.Duration,
                    Width = video.Width,
                    Height = video.Height,
                    FileName = video.FileName,
                    FileSize = video.FileSize,
                }
                : null,
        };

    private TimeSpan UploadTimeout(long bytes)
    {
        var throughput = _options.SpeedLimit > 0 ? Math.Min(_options.MinThroughput, _options.SpeedLimit) : _options.MinThroughput;
        return _options.MinTimeout + TimeSpan.FromSeconds(bytes / (double)throughput);
    }
}
