using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorRecorder.Platforms.Quality;

public enum QualityKind
{
    /// <summary>The highest resolution (then frame rate, then bitrate) offered.</summary>
    Best,

    /// <summary>The lowest bitrate offered that has a picture.</summary>
    Worst,

    /// <summary>A rendition with sound and no picture.</summary>
    AudioOnly,

    /// <summary>A given height (<c>720p</c>), and frame rate when it names one (<c>720p60</c>).</summary>
    Height,
}

/// <summary>
/// One entry of a channel's <c>quality</c> list: <c>best</c>, <c>worst</c>, <c>audio-only</c>, or a height with an optional
/// frame rate (<c>1080p</c>, <c>720p60</c>). The list is tried in order; each resolver turns it into its tool's words.
/// </summary>
public sealed partial record StreamQuality(QualityKind Kind, int Height = 0, int? Fps = null)
{
    public static readonly StreamQuality Best = new(QualityKind.Best);

    /// <summary>Reads one entry; null when it is none of the forms.</summary>
    public static StreamQuality? Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        switch (trimmed)
        {
            case "best":
                return Best;
            case "worst":
                return new StreamQuality(QualityKind.Worst);
            case "audio-only" or "audio_only" or "audio":
                return new StreamQuality(QualityKind.AudioOnly);
        }
        var match = HeightPattern().Match(trimmed);
        if (!match.Success)
        {
            return null;
        }
        var height = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int? fps = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        return height is > 0 and <= 8640 && fps is null or > 0 and <= 480 ? new StreamQuality(QualityKind.Height, height, fps) : null;
    }

    public override string ToString() => Kind switch
    {
        QualityKind.Best => "best",
        QualityKind.Worst => "worst",
        QualityKind.AudioOnly => "audio-only",
        _ => Fps is { } fps ? $"{Height}p{fps}" : $"{Height}p",
    };

    /// <summary>yt-dlp's format selector for a list: each entry as a filter, tried in order (<c>/</c>).</summary>
    public static string YtDlpSelector(IReadOnlyList<StreamQuality> qualities) =>
        qualities.Count == 0 ? "best" : string.Join('/', qualities.Select(q => q.Kind switch
        {
            QualityKind.Best => "best",
            QualityKind.Worst => "worst",
            QualityKind.AudioOnly => "bestaudio",
            _ => q.Fps is { } fps ? $"best[height={q.Height}][fps={fps}]" : $"best[height={q.Height}]",
        }));

    /// <summary>streamlink's stream argument for a list: its stream names, tried in order (<c>,</c>).</summary>
    public static string StreamlinkStreams(IReadOnlyList<StreamQuality> qualities) =>
        qualities.Count == 0 ? "best" : string.Join(',', qualities.Select(q => q.Kind switch
        {
            QualityKind.Best => "best",
            QualityKind.Worst => "worst",
            QualityKind.AudioOnly => "audio_only",
            _ => q.ToString(),
        }));

    [GeneratedRegex(@"^(\d{2,4})p(\d{2,3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex HeightPattern();
}
