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

    public SplitterActor(string ffmpegPath, string ffprobePath)
    {
        _ffprobe = new Ffprobe(ffprobePath);
        _executor = new SplitExecutor(new PartCutter(ffmpegPath, _ffprobe));
        ReceiveAsync<SplitSession>(SplitAsync);
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
