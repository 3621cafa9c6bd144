using System.Globalization;

namespace ActorRecorder.Platforms.Quality;

/// <summary>One rendition of an HLS master playlist (<c>#EXT-X-STREAM-INF</c> and the URI after it).</summary>
/// <param name="Uri">Absolute: resolved against the master playlist's URL.</param>
/// <param name="Height">0 when the playlist does not say (<c>RESOLUTION</c>).</param>
/// <param name="Fps">0 when the playlist does not say (<c>FRAME-RATE</c>).</param>
/// <param name="AudioOnly">No picture: no <c>RESOLUTION</c> and only audio codecs in <c>CODECS</c>.</param>
public sealed record HlsVariant(string Uri, long Bandwidth, int Width, int Height, double Fps, bool AudioOnly)
{
    /// <summary>How people name it: <c>720p60 (1280x720, 3.0 Mbit/s)</c>, <c>audio-only (128 kbit/s)</c>.</summary>
    public string Describe()
    {
        var rate = Bandwidth >= 1_000_000
            ? string.Create(CultureInfo.InvariantCulture, $"{Bandwidth / 1_000_000.0:0.0} Mbit/s")
            : string.Create(CultureInfo.InvariantCulture, $"{Bandwidth / 1000} kbit/s");
        if (AudioOnly)
        {
            return $"audio-only ({rate})";
        }
        var name = Height > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Height}p{(Fps > 0 ? Math.Round(Fps).ToString(CultureInfo.InvariantCulture) : "")}") : "unknown";
        return Width > 0 ? string.Create(CultureInfo.InvariantCulture, $"{name} ({Width}x{Height}, {rate})") : $"{name} ({rate})";
    }
}

/// <summary>
/// Reads the renditions of an HLS master playlist and picks one for a channel's quality list: the recorder chooses the
/// variant itself, so ffmpeg reads one rendition instead of every one the master lists.
/// </summary>
public static class HlsVariants
{
    private static readonly string[] VideoCodecs = ["avc1", "avc3", "hvc1", "hev1", "vp09", "vp8", "av01", "dvh1", "dvhe", "mp4v"];

    /// <summary>The renditions listed in <paramref name="playlist"/> (none for a media playlist), in the playlist's order.</summary>
    public static IReadOnlyList<HlsVariant> Parse(string playlist, Uri playlistUri)
    {
        var variants = new List<HlsVariant>();
        string? pending = null;
        foreach (var raw in playlist.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                pending = line["#EXT-X-STREAM-INF:".Length..];
                continue;
            }
            if (pending is null || line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var attributes = Attributes(pending);
            pending = null;
            var (width, height) = attributes.TryGetValue("RESOLUTION", out var resolution) ? Resolution(resolution) : (0, 0);
            var fps = attributes.TryGetValue("FRAME-RATE", out var rate) && double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 0;
            var bandwidth = attributes.TryGetValue("BANDWIDTH", out var b) && long.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bits) ? bits : 0;
            var codecs = attributes.GetValueOrDefault("CODECS", "");
            var audioOnly = height == 0 && codecs.Length > 0 && !VideoCodecs.Any(v => codecs.Contains(v, StringComparison.OrdinalIgnoreCase));
            variants.Add(new HlsVariant(new Uri(playlistUri, line).AbsoluteUri, bandwidth, width, height, fps, audioOnly));
        }
        return variants;
    }

    /// <summary>The first entry of <paramref name="qualities"/> (best when empty) that a variant answers, and that variant; null when none does.</summary>
    public static (StreamQuality Quality, HlsVariant Variant)? Pick(IReadOnlyList<HlsVariant> variants, IReadOnlyList<StreamQuality> qualities)
    {
        foreach (var quality in qualities.Count == 0 ? [StreamQuality.Best] : qualities)
        {
            if (Pick(variants, quality) is { } variant)
            {
                return (quality, variant);
            }
        }
        return null;
    }

    private static HlsVariant? Pick(IReadOnlyList<HlsVariant> variants, StreamQuality quality)
    {
        var pictures = variants.Where(v => !v.AudioOnly).ToList();
        return quality.Kind switch
        {
            QualityKind.Best => pictures.OrderByDescending(v => v.Height).ThenByDescending(v => v.Fps).ThenByDescending(v => v.Bandwidth).FirstOrDefault(),
            QualityKind.Worst => pictures.OrderBy(v => v.Bandwidth).ThenBy(v => v.Height).FirstOrDefault(),
            QualityKind.AudioOnly => variants.Where(v => v.AudioOnly).OrderByDescending(v => v.Bandwidth).FirstOrDefault(),
            _ => pictures.Where(v => v.Height == quality.Height && (quality.Fps is not { } fps || (int)Math.Round(v.Fps) == fps))
                .OrderByDescending(v => v.Fps).ThenByDescending(v => v.Bandwidth).FirstOrDefault(),
        };
    }

    /// <summary>An attribute list (<c>BANDWIDTH=1280000,CODECS="avc1.4d401f,mp4a.40.2"</c>): quoted values may hold commas.</summary>
    private static Dictionary<string, string> Attributes(string list)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < list.Length)
        {
            var equals = list.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }
            var name = list[i..equals].Trim();
            string value;
            if (equals + 1 < list.Length && list[equals + 1] == '"')
            {
                var close = list.IndexOf('"', equals + 2);
                close = close < 0 ? list.Length : close;
                value = list[(equals + 2)..close];
                i = close + 1;
                var comma = list.IndexOf(',', Math.Min(i, list.Length));
                i = comma < 0 ? list.Length : comma + 1;
            }
            else
            {
                var comma = list.IndexOf(',', equals + 1);
                value = comma < 0 ? list[(equals + 1)..] : list[(equals + 1)..comma];
                i = comma < 0 ? list.Length : comma + 1;
            }
            attributes[name] = value.Trim();
        }
        return attributes;
    }

    private static (int Width, int Height) Resolution(string text)
    {
        var x = text.IndexOf('x', StringComparison.OrdinalIgnoreCase);
        return x > 0 && int.TryParse(text[..x], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w)
                     && int.TryParse(text[(x + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h)
            ? (w, h)
            : (0, 0);
    }
}
