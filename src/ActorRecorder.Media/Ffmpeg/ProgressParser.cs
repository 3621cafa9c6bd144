using System.Globalization;

namespace ActorRecorder.Media.Ffmpeg;

/// <summary>
/// Turns the lines of <c>-progress pipe:1</c> into <see cref="FfmpegProgress"/> blocks: key=value lines
/// accumulate until a <c>progress=continue|end</c> line closes the block. Unknown keys and "N/A"
/// values are ignored; a malformed line never throws. Not thread-safe: feed it from one reader.
/// </summary>
public sealed class ProgressParser
{
    private long? _totalSize;
    private TimeSpan? _outTime;
    private long? _frame;
    private double? _speed;

    /// <summary>Feeds one line; returns a block when the line closes one.</summary>
    public FfmpegProgress? Feed(string line)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0)
        {
            return null;
        }
        var key = line.AsSpan(0, eq).Trim();
        var value = line.AsSpan(eq + 1).Trim();
        switch (key)
        {
            case "total_size":
                _totalSize = ParseLong(value) ?? _totalSize;
                break;
            case "out_time_us":
            case "out_time_ms": // ffmpeg writes microseconds under both names
                if (ParseLong(value) is { } micros && micros >= 0)
                {
                    _outTime = TimeSpan.FromMicroseconds(micros);
                }
                break;
            case "frame":
                _frame = ParseLong(value) ?? _frame;
                break;
            case "speed":
                var speedText = value.EndsWith("x") ? value[..^1] : value;
                if (double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed))
                {
                    _speed = speed;
                }
                break;
            case "progress":
                return new FfmpegProgress(_totalSize, _outTime, _frame, _speed, value.SequenceEqual("end"));
        }
        return null;
    }

    private static long? ParseLong(ReadOnlySpan<char> value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
