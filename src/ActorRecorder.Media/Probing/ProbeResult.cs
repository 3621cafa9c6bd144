namespace ActorRecorder.Media.Probing;

/// <summary>What ffprobe found in a file or stream.</summary>
public sealed record ProbeResult(string FormatName, TimeSpan? Duration, long? SizeBytes, long? BitRate, IReadOnlyList<ProbeStream> Streams)
{
    /// <summary>The first timestamp in the file (MPEG-TS files rarely start at zero).</summary>
    public TimeSpan StartTime { get; init; }


    public bool HasVideo => Streams.Any(s => s.CodecType == "video");

    public bool HasAudio => Streams.Any(s => s.CodecType == "audio");

    public ProbeStream? Video => Streams.FirstOrDefault(s => s.CodecType == "video");
}

public sealed record ProbeStream(int Index, string CodecType, string? CodecName, int? Width, int? Height);
