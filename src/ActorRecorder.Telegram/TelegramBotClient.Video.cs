using System.Globalization;
using System.Net.Http.Headers;
using ActorRecorder.Telegram.Internal;

namespace ActorRecorder.Telegram;

// The sendVideo multipart body: built fresh per attempt so each retry reads the file from the start.
public sealed partial class TelegramBotClient
{
    private const string ThumbnailPart = "thumb";

    private MultipartFormDataContent BuildVideoContent(SendVideo request, FileInfo video, FileInfo? thumbnail)
    {
        var form = new MultipartFormDataContent();
        try
        {
            form.Add(new StringContent(request.ChatId.ToString()), "chat_id");
            if (_options.LocalMode)
                form.Add(new StringContent("file://" + video.FullName), "video");
            else
                form.Add(FilePart(video, MediaType(video.Extension)), "video", video.Name);
            if (request.Caption is { Length: > 0 } caption)
                form.Add(new StringContent(CaptionTemplate.Truncate(caption)), "caption");
            if (request.ParseMode is not null)
                form.Add(new StringContent(request.ParseMode), "parse_mode");
            if (request.Duration is { } duration)
                form.Add(new StringContent(Number((long)Math.Round(duration.TotalSeconds))), "duration");
            if (request.Width is { } width)
                form.Add(new StringContent(Number(width)), "width");
            if (request.Height is { } height)
                form.Add(new StringContent(Number(height)), "height");
            if (request.SupportsStreaming)
                form.Add(new StringContent("true"), "supports_streaming");
            if (request.DisableNotification)
                form.Add(new StringContent("true"), "disable_notification");
            if (thumbnail is not null)
            {
                // Thumbnails are always uploaded, also to a local server: the API takes them only as attach://.
                form.Add(new StringContent("attach://" + ThumbnailPart), "thumbnail");
                form.Add(FilePart(thumbnail, "image/jpeg"), ThumbnailPart, thumbnail.Name);
            }
            return form;
        }
        catch
        {
            form.Dispose();
            throw;
        }
    }

    // Streamed, never buffered: StreamContent over an unbuffered FileStream (seekable, so Content-Length is sent).
    private StreamContent FilePart(FileInfo file, string mediaType)
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
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static string MediaType(string extension) => extension.ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => "video/mp4",
        ".mkv" => "video/x-matroska",
        ".ts" => "video/mp2t",
        ".flv" => "video/x-flv",
        ".webm" => "video/webm",
        _ => "application/octet-stream",
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
