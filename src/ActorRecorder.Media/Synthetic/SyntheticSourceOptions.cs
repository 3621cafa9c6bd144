namespace ActorRecorder.Media.Synthetic;

/// <summary>How the synthetic live source encodes its test pattern and tone.</summary>
public sealed record SyntheticSourceOptions
{
    public int Width { get; init; } = 640;
    public int Height { get; init; } = 360;
    public int FrameRate { get; init; } = 25;

    /// <summary>Video bitrate in bits/s (the recording benchmark uses 1 Mbit/s).</summary>
    public int VideoBitrate { get; init; } = 1_000_000;

    /// <summary>HLS segment length; short segments make a drop and a resume quick to observe.</summary>
    public TimeSpan SegmentDuration { get; init; } = TimeSpan.FromSeconds(1);

    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>
    /// Also carry timed ID3 metadata in the HLS segments, as platforms do (a <c>codec_type=data</c>, <c>timed_id3</c>
    /// stream): recorders must cope with a stream that Matroska and MP4 refuse.
    /// </summary>
    public bool DataStream { get; init; }

    /// <summary>
    /// With <see cref="DataStream"/>: carry it as a private stream no demuxer can identify (type 0x06, no descriptor), the
    /// kind ffmpeg and ffprobe probe until their limits before they start.
    /// </summary>
    public bool UnidentifiedData { get; init; }

    /// <summary>The tone starts this long after the picture (audio that comes late, as some platforms' streams do).</summary>
    public TimeSpan AudioDelay { get; init; }

    /// <summary>No audio at all: a picture-only stream.</summary>
    public bool NoAudio { get; init; }
}
