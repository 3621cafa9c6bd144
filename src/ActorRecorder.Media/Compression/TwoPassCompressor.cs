using System.Globalization;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Compression;

/// <summary>A compressed copy, checked with ffprobe.</summary>
public sealed record CompressedFile(string Path, long Bytes, TimeSpan Duration, int? Width, int? Height, long VideoBitrate);

/// <summary>The input cannot be made to fit the target size (too long for it, or no video): trying again cannot help.</summary>
public sealed class CompressionImpossibleException(string message) : Exception(message);

/// <summary>
/// Makes one H.264 + AAC MP4 of the inputs (played one after the other) that fits a target size: two-pass x264 at the
/// bitrate the size allows (4 % left for the container; audio at <see cref="AudioBitrate"/>), checked after the encode and
/// encoded again 10 % lower when it came out too big (twice at most). The file appears under its name only when it fits.
/// </summary>
public sealed class TwoPassCompressor(string ffmpegPath, Ffprobe ffprobe)
{
    public const long AudioBitrate = 96_000;

    /// <summary>Below this video bitrate the copy is not worth watching: the session is too long for the target size.</summary>
    public const long MinVideoBitrate = 48_000;

    private const string Preset = "veryfast";

    /// <summary>The video bitrate (bits/s) for <paramref name="duration"/> to fit <paramref name="targetBytes"/>.</summary>
    public static long VideoBitrateFor(long targetBytes, TimeSpan duration, bool hasAudio) =>
        (long)(targetBytes * 8 * 0.96 / Math.Max(1, duration.TotalSeconds)) - (hasAudio ? AudioBitrate : 0);

    /// <exception cref="CompressionImpossibleException">No video, or the target allows less than <see cref="MinVideoBitrate"/>.</exception>
    /// <exception cref="ProcessFailedException">ffmpeg or ffprobe failed.</exception>
    public async Task<CompressedFile> CompressAsync(IReadOnlyList<string> inputs, string output, long targetBytes, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.Zero;
        var hasVideo = false;
        var hasAudio = false;
        foreach (var input in inputs)
        {
            var probe = await ffprobe.ProbeAsync(input, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            duration += probe.Duration ?? TimeSpan.Zero;
            hasVideo |= probe.HasVideo;
            hasAudio |= probe.HasAudio;
        }
        if (!hasVideo)
        {
            throw new CompressionImpossibleException("the session has no video to compress");
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, Path.GetFileNameWithoutExtension(output));
        var list = stem + ".inputs.txt";
        var passLog = stem + ".x264";
        var partial = stem + ".partial.mp4";
        await File.WriteAllLinesAsync(list, inputs.Select(i => $"file '{Path.GetFullPath(i).Replace("'", @"'\''", StringComparison.Ordinal)}'"), cancellationToken)
            .ConfigureAwait(false);
        var timeout = TimeSpan.FromMinutes(30) + duration * 4;
        try
        {
            var bitrate = VideoBitrateFor(targetBytes, duration, hasAudio);
            for (var attempt = 0; attempt < 3; attempt++, bitrate = bitrate * 9 / 10)
            {
                if (bitrate < MinVideoBitrate)
                {
                    throw new CompressionImpossibleException(
                        $"{duration.TotalMinutes:0.#} min do not fit {targetBytes / 1048576.0:0.#} MiB: that leaves {bitrate / 1000} kbit/s of video (at least {MinVideoBitrate / 1000} needed)");
                }
                string[] input = ["-hide_banner", "-nostats", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", list];
                string[] video = ["-c:v", "libx264", "-preset", Preset, "-b:v", Rate(bitrate), "-pix_fmt", "yuv420p", "-fps_mode", "cfr", "-passlogfile", passLog,
                    "-threads", Tool.BackgroundThreads.ToString(CultureInfo.InvariantCulture)];
                await Tool.RunInBackgroundAsync(ffmpegPath, [.. input, "-map", "0:v:0", .. video, "-pass", "1", "-an", "-f", "null", "-"], timeout, cancellationToken)
                    .ConfigureAwait(false);
                await Tool.RunInBackgroundAsync(ffmpegPath,
                    [.. input, "-map", "0:v:0", "-map", "0:a:0?", .. video, "-pass", "2", "-c:a", "aac", "-b:a", Rate(AudioBitrate), "-movflags", "+faststart", partial],
                    timeout, cancellationToken).ConfigureAwait(false);
                if (new FileInfo(partial).Length <= targetBytes)
                {
                    File.Move(partial, output, overwrite: true);
                    var result = await ffprobe.ProbeAsync(output, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
                    return new CompressedFile(output, new FileInfo(output).Length, result.Duration ?? duration, result.Video?.Width, result.Video?.Height, bitrate);
                }
            }
            throw new CompressionImpossibleException($"three encodes came out above {targetBytes} bytes");
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(directory, Path.GetFileName(passLog) + "*").Append(list).Append(partial))
            {
                File.Delete(file);
            }
        }
    }

    private static string Rate(long bitsPerSecond) => bitsPerSecond.ToString(CultureInfo.InvariantCulture);
}
