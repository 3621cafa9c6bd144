using System.Security.Cryptography;
using ActorRecorder.Actors;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Probes a session's segments, plans its parts (<see cref="SplitPlanner"/>: phantoms left out with a
/// reason) and cuts them (<see cref="SplitExecutor"/>: every part checked against the limit). It keeps no
/// state: the channel persists the result, and asking again after a crash gives the same parts.
/// </summary>
public sealed class SplitterActor : ReceiveActor
{
    private readonly Ffprobe _ffprobe;
    private readonly SplitExecutor _executor;
    private readonly PartCutter _cutter;

    public SplitterActor(string ffmpegPath, string ffprobePath)
    {
        _ffprobe = new Ffprobe(ffprobePath);
        _cutter = new PartCutter(ffmpegPath, _ffprobe);
        _executor = new SplitExecutor(_cutter);
        ReceiveAsync<SplitSession>(SplitAsync);
        ReceiveAsync<RecutPart>(RecutAsync);
    }

    public static Props Props(string ffmpegPath, string ffprobePath) => Actors.Props.Create(() => new SplitterActor(ffmpegPath, ffprobePath));

    private async Task SplitAsync(SplitSession request)
    {
        var requester = Sender;
        try
        {
            var probed = new List<ProbedSegment>();
            foreach (var path in request.Segments)
            {
                probed.Add(await ProbeAsync(path).ConfigureAwait(false));
            }
            var plan = SplitPlanner.Plan(probed, request.Options);
            var parts = await _executor.CutAllAsync(plan, request.Options, request.PartsDirectory, request.Format).ConfigureAwait(false);
            requester.Tell(new SessionSplit(request.SessionId,
                parts.Select(p => new PartInfo(p.Number, p.Path, p.Bytes, p.Duration, p.Width, p.Height, p.ThumbnailPath)).ToArray(),
                plan.Dropped), Self);
        }
        catch (Exception ex) when (ex is ProcessFailedException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            requester.Tell(new SplitFailed(request.SessionId, ex.Message), Self);
        }
    }

    /// <summary>
    /// Cuts a refused part's own file in two halves with new names (<c>part-05a</c>, <c>part-05b</c>): the
    /// original stays untouched until the channel persisted the replacement, so a crash leaves nothing inconsistent.
    /// </summary>
    private async Task RecutAsync(RecutPart request)
    {
        var requester = Sender;
        try
        {
            var probe = await _ffprobe.ProbeAsync(request.Part.Path, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            var duration = probe.Duration ?? TimeSpan.Zero;
            if (duration < TimeSpan.FromSeconds(2))
            {
                requester.Tell(new SplitFailed(request.SessionId,
                    $"part {request.Part.Number} is too big for the target and too short ({duration.TotalSeconds:0.#} s) to cut without re-encoding"), Self);
                return;
            }
            var start = probe.StartTime;
            var middle = start + duration / 2;
            var stem = Path.GetFileNameWithoutExtension(request.Part.Path);
            var directory = Path.GetDirectoryName(request.Part.Path)!;
            var halves = new List<PartInfo>();
            foreach (var (suffix, from, to, number) in new[] { ("a", start, middle, request.Part.Number), ("b", middle, start + duration, request.Part.Number + 1) })
            {
                var planned = new PlannedPart(number, [new PartSource(request.Part.Path, from, to)], TimeSpan.Zero, to - from, request.Part.Bytes / 2);
                var cut = await _cutter.CutAsync(planned, directory, request.Format, stem + suffix).ConfigureAwait(false);
                halves.Add(new PartInfo(number, cut.Path, cut.Bytes, cut.Duration, cut.Width, cut.Height, cut.ThumbnailPath));
            }
            requester.Tell(new PartRecut(request.SessionId, request.Part.Number, halves), Self);
        }
        catch (Exception ex) when (ex is ProcessFailedException or IOException or InvalidOperationException)
        {
            requester.Tell(new SplitFailed(request.SessionId, $"part {request.Part.Number} could not be cut smaller: {ex.Message}"), Self);
        }
    }

    private async Task<ProbedSegment> ProbeAsync(string path)
    {
        if (!File.Exists(path))
        {
            return new ProbedSegment(path, null, 0, "missing");
        }
        var bytes = new FileInfo(path).Length;
        try
        {
            var probe = await _ffprobe.ProbeAsync(path, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            var playable = probe.HasVideo || probe.HasAudio ? probe.Duration : null;
            return new ProbedSegment(path, playable, bytes, await HashAsync(path, bytes).ConfigureAwait(false), probe.StartTime);
        }
        catch (ProcessFailedException) when (File.Exists(path))
        {
            return new ProbedSegment(path, null, bytes, "unreadable");
        }
    }

    /// <summary>Size plus the first and last MiB: enough to tell a repeated segment, without reading gigabytes.</summary>
    private static async Task<string> HashAsync(string path, long length)
    {
        const int Window = 1 << 20;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Window];
        hash.AppendData(BitConverter.GetBytes(length));
        var read = await file.ReadAtLeastAsync(buffer, Window, throwOnEndOfStream: false).ConfigureAwait(false);
        hash.AppendData(buffer, 0, read);
        if (length > Window * 2L)
        {
            file.Seek(-Window, SeekOrigin.End);
            read = await file.ReadAtLeastAsync(buffer, Window, throwOnEndOfStream: false).ConfigureAwait(false);
            hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
