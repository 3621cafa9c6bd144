using System.Globalization;

namespace ActorRecorder.Media.Ffmpeg;

/// <summary>A finished segment as ffmpeg lists it (<c>-segment_list_type csv</c>: <c>file,start,end</c>).</summary>
public sealed record SegmentListEntry(string FileName, TimeSpan Start, TimeSpan End)
{
    public TimeSpan Duration => End - Start;

    /// <summary>Parses one csv line; null for a malformed or partial line (a line being written).</summary>
    public static SegmentListEntry? Parse(string line)
    {
        var parts = line.Trim().Split(',');
        if (parts.Length < 3 || parts[0].Length == 0)
        {
            return null;
        }
        var name = parts.Length == 3 ? parts[0] : string.Join(',', parts[..^2]);
        if (name.Length > 1 && name[0] == '"' && name[^1] == '"')
        {
            name = name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }
        return double.TryParse(parts[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            && double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
            && end >= start && start >= 0
            ? new SegmentListEntry(name, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(end))
            : null;
    }
}
