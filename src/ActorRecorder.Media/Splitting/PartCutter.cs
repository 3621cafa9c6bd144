using System.Globalization;
using System.Text;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Splitting;

/// <summary>
/// Cuts one planned part with ffmpeg's concat demuxer and <c>-c copy</c> (never re-encoding: cuts land on
/// keyframes), remuxes it to MP4 with faststart when asked, probes it and makes a JPEG thumbnail
/// (≤ 320 px wide, &lt; 200 kB). The part is written under a temporary name, flushed to disk, then renamed,
/// so a reader never sees half a file. A part is always cut afresh (never trusted from an earlier run, whose
/// numbering may differ): <c>-c copy</c> is cheap and deterministic, so running again after a crash gives the same file.
/// </summary>
public sealed class PartCutter(string ffmpegPath, Ffprobe ffprobe)
{
    private const long MaxThumbnailBytes = 200 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <param name="part">What to cut.</param>
    /// <param name="outputDirectory">Where the part goes.</param>
    /// <param name="format">Its container.</param>
    /// <param name="name">The file name without extension (default <c>part-NN</c>).</param>
    /// <param name="cancellationToken">Cancels the cut.</param>
    public async Task<CutPart> CutAsync(PlannedPart part, string outputDirectory, PartFormat format, string? name = null,
        CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputDirectory);
        var extension = format == PartFormat.Mp4 ? "mp4" : "ts";
        var final = Path.Combine(outputDirectory, $"{name ?? PartFileName.Stem(part.Number)}.{extension}");
        var list = final + ".concat.txt";
        var temp = final + ".partial";
        await File.WriteAllTextAsync(list, ConcatList(part), cancellationToken).ConfigureAwait(false);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list };
        // Video and audio only: data streams (timed ID3 from HLS) and subtitles are not wanted in an upload, and MP4 refuses some.
        arguments.AddRange(FfmpegArguments.VideoAndAudio);
        arguments.AddRange(["-c", "copy"]);
        arguments.AddRange(format == PartFormat.Mp4 ? ["-movflags", "+faststart", "-f", "mp4"] : ["-f", "mpegts"]);
        arguments.AddRange(["-y", temp]);
        await Tool.RunInBackgroundAsync(ffmpegPath, arguments, Timeout, cancellationToken).ConfigureAwait(false);
        await using (var written = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
        {
            written.Flush(flushToDisk: true);
        }
        File.Move(temp, final, overwrite: true);
        File.Delete(list);
        var probe = await ffprobe.ProbeAsync(final, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        var duration = probe.Duration ?? TimeSpan.Zero;
        var thumbnail = probe.HasVideo ? await ThumbnailAsync(final, duration, cancellationToken).ConfigureAwait(false) : null;
        return new CutPart(part.Number, final, new FileInfo(final).Length, duration, probe.Video?.Width, probe.Video?.Height, thumbnail);
    }

    /// <summary>Removes what an interrupted cut leaves behind (temporary files and concat lists).</summary>
    public static void RemoveStrays(string outputDirectory)
    {
        if (!Directory.Exists(outputDirectory))
        {
            return;
        }
        foreach (var stray in Directory.EnumerateFiles(outputDirectory, "*.partial").Concat(Directory.EnumerateFiles(outputDirectory, "*.concat.txt")))
        {
            File.Delete(stray);
        }
    }

    /// <summary>The concat demuxer's script: one <c>file</c> per source with its in/out points (paths quoted for it, not a shell).</summary>
    internal static string ConcatList(PlannedPart part)
    {
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var source in part.Sources)
        {
            text.Append("file '").Append(source.Path.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
            if (!source.WholeFile)
            {
                text.Append(CultureInfo.InvariantCulture, $"inpoint {source.InPoint.TotalSeconds:0.######}\n");
                text.Append(CultureInfo.InvariantCulture, $"outpoint {source.OutPoint.TotalSeconds:0.######}\n");
            }
        }
        return text.ToString();
    }

    private async Task<string> ThumbnailAsync(string part, TimeSpan duration, CancellationToken cancellationToken)
    {
        var path = part + ".jpg";
        var at = (duration / 2).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var quality in new[] { 4, 8, 14, 22, 31 })
        {
            await Tool.RunInBackgroundAsync(ffmpegPath,
            [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-ss", at, "-i", part, "-frames:v", "1",
                "-vf", "scale='min(320,iw)':-2", "-q:v", quality.ToString(CultureInfo.InvariantCulture), "-y", path,
            ], TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            if (new FileInfo(path).Length < MaxThumbnailBytes)
            {
                break;
            }
        }
        return path;
    }
}
