using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Platforms.Quality;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The recording block: every key when <paramref name="inherited"/> is null (the global block, complete through
    /// the reference), otherwise only the keys the block sets, the rest taken from <paramref name="inherited"/>.
    /// </summary>
    private static RecordingSettings ReadRecording(SettingsSection section, string baseDir, RecordingSettings? inherited)
    {
        bool Reads(string key) => inherited is null || section.Has(key);

        var recording = new RecordingSettings(
            OutputDir: Reads("output-dir") ? Path.GetFullPath(RequiredPath(section, "output-dir"), baseDir) : inherited!.OutputDir,
            PollInterval: Reads("poll-interval") ? Duration(section, "poll-interval", OneSecond) : inherited!.PollInterval,
            Container: Reads("container") ? ReadContainer(section) : inherited!.Container,
            SegmentDuration: Reads("segment-duration") ? Duration(section, "segment-duration", OneSecond) : inherited!.SegmentDuration,
            GracePeriod: Reads("grace-period") ? Duration(section, "grace-period", TimeSpan.Zero) : inherited!.GracePeriod,
            StallTimeout: Reads("stall-timeout") ? Duration(section, "stall-timeout", OneSecond) : inherited!.StallTimeout,
            MinFreeDisk: Reads("min-free-disk") ? ReadMinFreeDisk(section) : inherited!.MinFreeDisk,
            FfmpegPath: Reads("ffmpeg-path") ? Executable(section, "ffmpeg-path", baseDir) : inherited!.FfmpegPath,
            FfprobePath: Reads("ffprobe-path") ? Executable(section, "ffprobe-path", baseDir) : inherited!.FfprobePath,
            DiskCheckInterval: Reads("disk-check-interval") ? Duration(section, "disk-check-interval", OneSecond) : inherited!.DiskCheckInterval)
        {
            Quality = Reads("quality") ? ReadQuality(section) : inherited!.Quality,
            SegmentSize = Reads("segment-size") ? ReadSegmentSize(section) : inherited!.SegmentSize,
            Schedule = Reads("schedule") ? ReadSchedule(section) : inherited!.Schedule,
            TimeZone = Reads("timezone") ? ReadTimeZone(section) : inherited!.TimeZone,
            OnWindowEnd = Reads("on-window-end") ? ReadWindowEnd(section) : inherited!.OnWindowEnd,
            TitleInclude = Reads("title-include") ? ReadTitlePattern(section, "title-include") : inherited!.TitleInclude,
            TitleExclude = Reads("title-exclude") ? ReadTitlePattern(section, "title-exclude") : inherited!.TitleExclude,
        };
        if (recording.SegmentSize > 0 && recording.Container != Container.Ts)
        {
            throw section.Invalid(Reads("segment-size") ? "segment-size" : "container",
                $"splitting by size needs container = ts (the recorder cuts an MPEG-TS stream), not {recording.Container.ToString().ToLowerInvariant()}");
        }
        return recording;
    }

    private static long ReadSegmentSize(SettingsSection section)
    {
        var size = section.GetByteSize("segment-size");
        return size is 0 or >= 1_000_000 ? size : throw section.Invalid("segment-size", $"must be 0 (off) or at least 1MB, got {size} bytes");
    }

    /// <summary>The recording windows, each checked (days, times), kept as written; "" for none.</summary>
    private static string ReadSchedule(SettingsSection section)
    {
        var windows = section.GetStringList("schedule");
        if (windows.Count == 0)
        {
            return "";
        }
        try
        {
            RecordingSchedule.Parse(windows, "UTC");
        }
        catch (FormatException ex)
        {
            throw section.Invalid("schedule", ex.Message);
        }
        return string.Join(" | ", windows.Select(w => w.Trim()));
    }

    private static string ReadTimeZone(SettingsSection section)
    {
        var zone = section.GetString("timezone").Trim();
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone).Id;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw section.Invalid("timezone", $"unknown time zone '{zone}'; use an IANA name such as Europe/Berlin, America/New_York or UTC");
        }
    }

    private static WindowEnd ReadWindowEnd(SettingsSection section) => section.GetString("on-window-end").Trim().ToLowerInvariant() switch
    {
        "finish" => WindowEnd.Finish,
        "stop" => WindowEnd.Stop,
        var other => throw section.Invalid("on-window-end", $"'{other}' is not allowed; use finish (record the broadcast to its end) or stop"),
    };

    private static string ReadTitlePattern(SettingsSection section, string key)
    {
        var pattern = section.GetString(key);
        return TitleFilter.Invalid(pattern) is { } reason ? throw section.Invalid(key, reason) : pattern;
    }

    /// <summary>A quality or an ordered list of them (a list, or one string with commas), each a known form; kept normalised.</summary>
    private static string ReadQuality(SettingsSection section)
    {
        IReadOnlyList<string> entries = section.ValueOf("quality") switch
        {
            ConfigList => section.GetStringList("quality"),
            _ => section.GetString("quality").Split(',', StringSplitOptions.TrimEntries),
        };
        if (entries.Count == 0 || entries.Any(e => e.Length == 0))
        {
            throw section.Invalid("quality", "must name at least one quality, e.g. best or [1080p, 720p60, best]");
        }
        var qualities = new List<StreamQuality>(entries.Count);
        foreach (var entry in entries)
        {
            var quality = StreamQuality.Parse(entry)
                ?? throw section.Invalid("quality", $"unknown quality '{entry}'; use best, worst, audio-only or a height with an optional frame rate such as 1080p or 720p60");
            if (qualities.Contains(quality))
            {
                throw section.Invalid("quality", $"names {quality} twice");
            }
            qualities.Add(quality);
        }
        return string.Join(", ", qualities);
    }

    private static TimeSpan Duration(SettingsSection section, string key, TimeSpan minimum)
    {
        var value = section.GetTimeSpan(key);
        // Infinite reads as -1ms, so it fails here too: none of these may be infinite.
        return value >= minimum
            ? value
            : throw section.Invalid(key,
                $"must be a duration of at least {ConfigDescription.Of(minimum)} (e.g. 30s, 2m), got {ConfigDescription.Of(value)}");
    }

    private static Container ReadContainer(SettingsSection section)
    {
        var text = section.GetString("container");
        return ContainerExtensions.Parse(text)
            ?? throw section.Invalid("container", $"unknown container '{text}'; use one of ts, mkv, flv");
    }

    private static long ReadMinFreeDisk(SettingsSection section)
    {
        var bytes = section.GetByteSize("min-free-disk");
        return bytes >= 0
            ? bytes
            : throw section.Invalid("min-free-disk", $"must be a size of 0 or more (e.g. 2GiB, 500MB; 0 turns the check off), got {bytes} bytes");
    }

    /// <summary>A bare name stays as it is (looked up on PATH); a path with a directory in it is made absolute.</summary>
    private static string Executable(SettingsSection section, string key, string baseDir)
    {
        var value = section.GetString(key).Trim();
        if (value.Length == 0)
        {
            throw section.Invalid(key, "must not be empty; expected an executable name (looked up on PATH) or a path");
        }

        var hasDirectory = value.Contains('/') || value.Contains(Path.DirectorySeparatorChar);
        return hasDirectory ? Path.GetFullPath(value, baseDir) : value;
    }
}
