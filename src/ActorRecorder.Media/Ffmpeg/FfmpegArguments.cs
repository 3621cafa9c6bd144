using System.Globalization;

namespace ActorRecorder.Media.Ffmpeg;

/// <summary>Builds ffmpeg argument lists. Pure: the same request always gives the same arguments.</summary>
public static class FfmpegArguments
{
    /// <summary>
    /// Maps every video and audio stream of the first input, and nothing else. Live HLS often carries a timed
    /// ID3 data stream (and sometimes subtitles): Matroska refuses data streams, MP4 refuses most of them, and no
    /// recording or upload needs them. The '?' lets an audio-only or video-only input through.
    /// </summary>
    public static IReadOnlyList<string> VideoAndAudio { get; } = ["-map", "0:v?", "-map", "0:a?"];

    /// <summary>
    /// How much of a live input ffmpeg reads before it starts, by default: 256 kB or 2 s of media. ffmpeg's own defaults
    /// (5 MB, 5 s) hold the start back until all of it is read whenever a stream cannot be identified (a platform's private
    /// data stream): measured on a 300 kbit/s HLS stream carrying one, 105 s before the first byte was written, and 0.3 s
    /// with these bounds, for the same recording (the probed packets are kept, so nothing of the broadcast is lost either
    /// way). Streams with video and audio from their first packets start as fast with both.
    /// </summary>
    public static IReadOnlyList<string> NarrowProbe { get; } = ["-probesize", "256000", "-analyzeduration", "2000000"];

    /// <summary>
    /// The probe after a narrow one missed a stream's parameters (ffmpeg: "sample rate not set", "dimensions not set"): 8 MB
    /// or 15 s of media, for audio that starts up to ~15 s after the picture (measured: audio 8 s late is recorded with
    /// it, where ffmpeg's defaults fail the same way the narrow probe does). The buffered media is read again, not lost.
    /// </summary>
    public static IReadOnlyList<string> WideProbe { get; } = ["-probesize", "8000000", "-analyzeduration", "15000000"];

    /// <summary>
    /// How far back in an HLS live window a session's first attempt starts: 15 segments (30 s of 2 s segments), clamped by
    /// ffmpeg to the window's start. Measured: 200 channels going live at once on 2 cores started their ffmpegs 7 s (median)
    /// to 21 s after going live, and 3 segments back (ffmpeg's default) lost that much of every broadcast's beginning.
    /// </summary>
    public static IReadOnlyList<string> SessionStartWindow { get; } = ["-live_start_index", "-15"];

    /// <summary>Whether ffmpeg's error output says it started without a stream's parameters: the probe was too narrow for this input.</summary>
    public static bool ProbeTooNarrow(IEnumerable<string> stderr) => stderr.Any(line =>
        line.Contains("incorrect codec parameters", StringComparison.Ordinal)
        || line.Contains("sample rate not set", StringComparison.Ordinal)
        || line.Contains("dimensions not set", StringComparison.Ordinal)
        || line.Contains("Could not find codec parameters", StringComparison.Ordinal));

    /// <summary>
    /// Records the video and audio (<see cref="VideoAndAudio"/>) with <c>-c copy</c> into segments, reports progress as key=value blocks on standard output
    /// (<c>-progress pipe:1</c>), reconnects HTTP inputs, and leaves standard input open so 'q' stops it cleanly.
    /// </summary>
    /// <exception cref="ArgumentException">The file prefix has characters outside [A-Za-z0-9._-].</exception>
    public static IReadOnlyList<string> Record(RecordingRequest request)
    {
        if (request.FilePrefix.Length == 0 || !request.FilePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"unsafe file prefix '{request.FilePrefix}'", nameof(request));
        }
        var args = new List<string> { "-hide_banner", "-nostats", "-loglevel", "warning", "-progress", "pipe:1" };
        var isHttp = request.InputUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || request.InputUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (isHttp)
        {
            args.AddRange(["-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_on_network_error", "1", "-reconnect_delay_max", "5"]);
            if (request.Headers.Count > 0)
            {
                var headers = string.Concat(request.Headers.OrderBy(h => h.Key, StringComparer.Ordinal)
                    .Select(h => $"{Clean(h.Key)}: {Clean(h.Value)}\r\n"));
                args.AddRange(["-headers", headers]);
            }
        }
        if (request.ReadTimeout > TimeSpan.Zero && (isHttp || request.InputUrl.StartsWith("rtmp", StringComparison.OrdinalIgnoreCase)))
        {
            args.AddRange(["-rw_timeout", Micros(request.ReadTimeout)]);
        }
        args.AddRange(request.WideProbe ? WideProbe : NarrowProbe);
        if (request.FromWindowStart && IsHls(request.InputUrl))
        {
            args.AddRange(SessionStartWindow);
        }
        args.AddRange(["-i", request.InputUrl, .. VideoAndAudio, "-c", "copy"]);
        if (request.SegmentSize > 0)
        {
            // The recorder cuts the stream (by size and by duration): ffmpeg writes one MPEG-TS stream into the FIFO.
            args.AddRange(["-f", "mpegts", "-y", request.PipePath]);
            return args;
        }
        args.AddRange([
            "-f", "segment",
            "-segment_format", request.Container.MuxerName(),
            "-segment_time", Seconds(request.SegmentDuration),
            "-segment_start_number", request.FirstSegmentNumber.ToString(CultureInfo.InvariantCulture),
            "-reset_timestamps", "1",
            "-segment_list", request.SegmentListPath,
            "-segment_list_type", "csv",
            "-y", request.SegmentPattern,
        ]);
        return args;
    }

    /// <summary>An HLS playlist (the only input the window option applies to: any other demuxer refuses it).</summary>
    private static bool IsHls(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.AbsolutePath.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase);

    private static string Clean(string header) => header.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    private static string Micros(TimeSpan value) =>
        ((long)value.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
