using System.Collections.Immutable;

namespace ActorRecorder.Media.Ffmpeg;

/// <summary>
/// One recording attempt: read <see cref="InputUrl"/> and copy it, without re-encoding, into segments of
/// <see cref="SegmentDuration"/> named <c>{FilePrefix}-00000.{ext}</c> in <see cref="OutputDirectory"/>,
/// listing each finished segment in <see cref="SegmentListPath"/>.
/// </summary>
public sealed record RecordingRequest
{
    public required string InputUrl { get; init; }

    /// <summary>HTTP headers for the input (cookies, referer, user agent); sent only for HTTP(S) inputs.</summary>
    public ImmutableDictionary<string, string> Headers { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The HTTP proxy ffmpeg reads the input through (the channel's <c>proxy</c>); it reaches ffmpeg in its environment.</summary>
    public Network.ProxyUrl? Proxy { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>Segment file names start with this (<see cref="SegmentFileName.Prefix"/>); only [A-Za-z0-9._-] (it is checked, never trusted).</summary>
    public required string FilePrefix { get; init; }

    public Container Container { get; init; } = Container.Ts;

    public TimeSpan SegmentDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A segment ends at the first keyframe after it passed this size (0: by duration only). Then ffmpeg writes MPEG-TS into
    /// <see cref="PipePath"/> and the recorder cuts it (<see cref="TsSegmenter"/>): ffmpeg's segment muxer cannot cut by size.
    /// </summary>
    public long SegmentSize { get; init; }

    /// <summary>The FIFO a size-split attempt's ffmpeg writes into.</summary>
    public string PipePath => Path.Combine(OutputDirectory, $"{FilePrefix}.ts.fifo");

    /// <summary>The number of the first segment (so attempts in one session never reuse a name).</summary>
    public int FirstSegmentNumber { get; init; }

    /// <summary>How long a network read may block before ffmpeg gives up on it (0: ffmpeg's default).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Probe the input widely (<see cref="FfmpegArguments.WideProbe"/>) instead of narrowly: for a stream whose audio (or
    /// video) comes seconds after the rest, which a narrow probe does not see (ffmpeg then refuses to start).
    /// </summary>
    public bool WideProbe { get; init; }

    /// <summary>
    /// An attempt of a session that has recorded nothing yet: an HLS input is read from further back in its live window
    /// (<see cref="FfmpegArguments.SessionStartWindow"/>) than the three segments ffmpeg starts with, so a broadcast noticed or
    /// started late (many channels going live at once on a busy machine) is still recorded from its beginning. A later
    /// attempt of the same session reads from the live edge as usual, never what the session has already.
    /// </summary>
    public bool FromWindowStart { get; init; }

    public string SegmentPattern => Path.Combine(OutputDirectory, $"{FilePrefix}-%05d.{Container.Extension()}");

    public string SegmentListPath => Path.Combine(OutputDirectory, $"{FilePrefix}.segments.csv");

    public string SegmentPath(int number) =>
        Path.Combine(OutputDirectory, $"{FilePrefix}-{number.ToString("00000", System.Globalization.CultureInfo.InvariantCulture)}.{Container.Extension()}");
}
