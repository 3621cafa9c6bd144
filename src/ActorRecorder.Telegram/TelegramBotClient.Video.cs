using System.Net.Http.Headers;
using ActorRecorder.Telegram.Internal;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ActorRecorder.Telegram;

// sendVideo: a fresh request per attempt, so each retry reads the file from the start.
public sealed partial class TelegramBotClient
{
    private SendVideoRequest VideoRequest(SendVideo request, FileInfo video, FileInfo? thumbnail, List<Stream> opened)
    {
        // The fields of an album's item, sent alone.
        var item = AlbumItem(request, video, thumbnail, opened);
        return new SendVideoRequest
        {
            ChatId = request.ChatId.ToBot(),
            Video = item.Media,
            Caption = item.Caption,
            ParseMode = item.ParseMode,
            Duration = NullIfZero(item.Duration),
            Width = NullIfZero(item.Width),
            Height = NullIfZero(item.Height),
            SupportsStreaming = item.SupportsStreaming,
            Thumbnail = item.Thumbnail,
            DisableNotification = request.DisableNotification,
        };
    }

    /// <summary>
    /// An album's item. Thumbnails are always uploaded, also to a local server: the API takes them only as attach://.
    /// </summary>
    private InputMediaVideo AlbumItem(SendVideo request, FileInfo video, FileInfo? thumbnail, List<Stream> opened) => new(Media(video, opened))
    {
        Caption = request.Caption is { Length: > 0 } caption ? CaptionTemplate.Truncate(caption) : null,
        ParseMode = request.ParseMode is { } mode ? Enum.Parse<ParseMode>(mode, ignoreCase: true) : default,
        // 0: not sent (Telegram.Bot leaves default values out).
        Duration = request.Duration is { } duration ? (int)Math.Round(duration.TotalSeconds) : 0,
        Width = request.Width ?? 0,
        Height = request.Height ?? 0,
        SupportsStreaming = request.SupportsStreaming,
        Thumbnail = thumbnail is null ? null : InputFile.FromStream(Open(thumbnail, opened), thumbnail.Name),
    };

    private static int? NullIfZero(int value) => value == 0 ? null : value;

    /// <summary>The video itself: a path for a local Bot API server, else the file's bytes.</summary>
    private InputFile Media(FileInfo video, List<Stream> opened) =>
        _options.LocalMode ? InputFile.FromString("file://" + video.FullName) : InputFile.FromStream(Open(video, opened), video.Name);

    // Streamed, never buffered: an unbuffered FileStream (seekable, so Content-Length is sent), through the speed limit.
    private Stream Open(FileInfo file, List<Stream> opened)
    {
        var stream = new FileStream(file.FullName, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        Stream body = _speedLimiter is null ? stream : new ThrottledStream(stream, _speedLimiter);
        opened.Add(body);
        return body;
    }
}
