using System.Globalization;
using System.Text.Json;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Probing;

/// <summary>Runs ffprobe (JSON output) and reads the result.</summary>
public sealed class Ffprobe(string ffprobePath = "ffprobe")
{
    /// <summary>
    /// Probes a file or URL (<paramref name="inputOptions"/> go before the input: a live stream's probe bounds, say), through
    /// <paramref name="proxy"/> when one is given.
    /// </summary>
    /// <exception cref="ProcessFailedException">ffprobe could not run, timed out, or could not read it (the message has its stderr).</exception>
    public async Task<ProbeResult> ProbeAsync(string input, TimeSpan timeout, CancellationToken cancellationToken = default,
        IReadOnlyList<string>? inputOptions = null, Network.ProxyUrl? proxy = null)
    {
        var json = await Tool.RunAsync(ffprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", .. inputOptions ?? [], input], timeout, cancellationToken,
            proxy?.Environment).ConfigureAwait(false);
        return Parse(json);
    }

    /// <summary>Parses ffprobe's JSON; fields it lacks are null rather than errors.</summary>
    /// <exception cref="FormatException">The text is not ffprobe JSON.</exception>
    public static ProbeResult Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var format = root.TryGetProperty("format", out var f) ? f : default;
            var streams = new List<ProbeStream>();
            if (root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array)
            {
                foreach (var stream in s.EnumerateArray())
                {
                    streams.Add(new ProbeStream(
                        stream.TryGetProperty("index", out var i) && i.TryGetInt32(out var index) ? index : streams.Count,
                        Text(stream, "codec_type") ?? "unknown",
                        Text(stream, "codec_name"),
                        Int(stream, "width"),
                        Int(stream, "height")));
                }
            }
            var duration = Number(format, "duration");
            return new ProbeResult(
                Text(format, "format_name") ?? "unknown",
                duration is null ? null : TimeSpan.FromSeconds(duration.Value),
                (long?)Number(format, "size"),
                (long?)Number(format, "bit_rate"),
                streams)
            {
                StartTime = TimeSpan.FromSeconds(Number(format, "start_time") ?? 0),
            };
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not ffprobe JSON: {ex.Message}", ex);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt32(out var parsed)
            ? parsed
            : null;

    /// <summary>ffprobe writes numbers as strings ("12.345").</summary>
    private static double? Number(JsonElement element, string name) =>
        Text(element, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
}
