using System.Text.Json.Serialization;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Platforms.Quality;

namespace ActorRecorder.Engine.Settings;

/// <summary>
/// How a channel is recorded (<c>actor-recorder.recording</c>, overridden key by key by a channel's
/// <c>recording</c> block). Validated when read: see hocon/reference.conf for each key's meaning and range.
/// </summary>
/// <param name="OutputDir">Full path of the directory recordings are written under.</param>
/// <param name="PollInterval">How often an offline channel is checked; at least 1s.</param>
/// <param name="Container">The segments' container.</param>
/// <param name="SegmentDuration">Length of one segment file; at least 1s.</param>
/// <param name="GracePeriod">How long a dropped stream may take to come back into the same session; 0 or more.</param>
/// <param name="StallTimeout">How long ffmpeg's output may stop growing before it is restarted; at least 1s.</param>
/// <param name="MinFreeDisk">Bytes that must stay free on the output disk; 0 turns the check off.</param>
/// <param name="FfmpegPath">The ffmpeg executable: a bare name (looked up on PATH) or a full path.</param>
/// <param name="FfprobePath">The ffprobe executable: a bare name (looked up on PATH) or a full path.</param>
/// <param name="DiskCheckInterval">How often free space is checked while recording; at least 1s.</param>
public sealed record RecordingSettings(
    string OutputDir,
    TimeSpan PollInterval,
    Container Container,
    TimeSpan SegmentDuration,
    TimeSpan GracePeriod,
    TimeSpan StallTimeout,
    long MinFreeDisk,
    string FfmpegPath,
    string FfprobePath,
    TimeSpan DiskCheckInterval)
{
    /// <summary>The renditions wanted, in order (<c>quality</c>), written as the configuration does: <c>1080p, 720p60, best</c>.</summary>
    public string Quality { get; init; } = "best";

    /// <summary><see cref="Quality"/> read (it was validated when the settings were read).</summary>
    [JsonIgnore]
    public IReadOnlyList<StreamQuality> Qualities =>
        [.. Quality.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(q => StreamQuality.Parse(q)).OfType<StreamQuality>()];

    /// <summary>A segment ends at the first keyframe after it passed this many bytes (<c>segment-size</c>); 0: by duration only.</summary>
    public long SegmentSize { get; init; }

    /// <summary>The recording windows (<c>schedule</c>), each as written, separated by " | "; empty: always.</summary>
    public string Schedule { get; init; } = "";

    /// <summary>The IANA time zone the windows are in (<c>timezone</c>).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>What a window's end does to a broadcast being recorded (<c>on-window-end</c>).</summary>
    public WindowEnd OnWindowEnd { get; init; } = WindowEnd.Finish;

    /// <summary>A broadcast is recorded only when its title matches this (<c>title-include</c>, a regular expression); empty: any.</summary>
    public string TitleInclude { get; init; } = "";

    /// <summary>A broadcast whose title matches this is skipped (<c>title-exclude</c>, a regular expression); empty: none.</summary>
    public string TitleExclude { get; init; } = "";

    /// <summary><see cref="Schedule"/> read (it was validated when the settings were read); null: always.</summary>
    [JsonIgnore]
    public RecordingSchedule? Windows => Schedule.Length == 0 ? null : RecordingSchedule.Parse(Schedule.Split(" | "), TimeZone);
}

/// <summary>What the end of a recording window does to a broadcast being recorded.</summary>
public enum WindowEnd
{
    /// <summary>It is recorded to its end; the next broadcast outside the windows is skipped.</summary>
    Finish,

    /// <summary>The session ends at the window's end.</summary>
    Stop,
}
