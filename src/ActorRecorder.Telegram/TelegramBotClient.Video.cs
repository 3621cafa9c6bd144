using System.Net.Http.Headers;
using ActorRecorder.Telegram.Internal;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ActorRecorder.Telegram;

// sendVideo: a fresh request per attempt, so each retry reads the file from the start.
public sealed partial class TelegramBotClient
{
    private SendVideoRequest VideoRequest(SendVideo request, FileInfo video, FileInfo? thumbnail, List<Stream> opened) => new()
    {
        ChatId = request.ChatId.ToBot(),
        Video = _options.LocalMode ? InputFile.FromString("file://" + video.FullName) : InputFile.FromStream(Open(video, opened), video.Name),
        Caption = request.Caption is { Length: > 0 } caption ? CaptionTemplate.Truncate(caption) : null,
        ParseMode = request.ParseMode is { } mode ? Enum.Parse<ParseMode>(mode, ignoreCase: true) : default,
        Duration = request.Duration is { } duration ? (int)Math.Round(duration.TotalSeconds) : null,
        Width = request.Width,
        Height = request.Height,
        SupportsStreaming = request.SupportsStreaming,
        DisableNotification = request.DisableNotification,
        // Thumbnails are always uploaded, also to a local server: the API takes them only as attach://.
        Thumbnail = thumbnail is null ? null : InputFile.FromStream(Open(thumbnail, opened), thumbnail.Name),
    };

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
