using System.Security.Cryptography;
using System.Collections.Immutable;
using Akka.Actor;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Compression;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Probes a session's segments, plans its parts (<see cref="SplitPlanner"/>: phantoms left out with a
/// reason) and cuts them (<see cref="SplitExecutor"/>: every part checked against the limit). It keeps no
/// state: the channel persists the result, and asking again after a crash gives the same parts. Each answer
/// names its request and this worker's incarnation; when the worker is stopped its cut is cancelled.
/// </summary>
public sealed class SplitterActor : ReceiveActor
{
    private readonly Ffprobe _ffprobe;
    private readonly SplitExecutor _executor;
    private readonly PartCutter _cutter;
    private readonly TwoPassCompressor _compressor;
    private readonly CancellationTokenSource _stopped = new();

    public SplitterActor(string ffmpegPath, string ffprobePath)
    {
        _ffprobe = new Ffprobe(ffprobePath);
        _cutter = new PartCutter(ffmpegPath, _ffprobe);
        _executor = new SplitExecutor(_cutter);
        // A cancelled or unexpected failure still answers with the request's name: from a stopped worker it is stale and dropped.
        Receive<SplitSession>(request => SplitAsync(request).PipeTo(Sender, Self,
            failure: ex => new SplitFailed(request.RequestId, request.Worker, request.SessionId, ex.Message, Permanent: false)));
        Receive<RecutPart>(request => RecutAsync(request).PipeTo(Sender, Self,
            failure: ex => new SplitFailed(request.RequestId, request.Worker, request.SessionId, ex.Message, Permanent: false)));
        _compressor = new TwoPassCompressor(ffmpegPath, _ffprobe);
        Receive<CompressSession>(request => CompressAsync(request).PipeTo(Sender, Self,
            failure: ex => new SplitFailed(request.RequestId, request.Worker, request.SessionId, ex.Message, Permanent: false)));
    }

    /// <summary>The compressed copy; one that cannot fit is a permanent refusal (the channel skips the copy, not the session).</summary>
    private async Task<Channel.IChannelInput> CompressAsync(CompressSession request)
    {
        try
        {
            var copy = await _compressor.CompressAsync(request.Parts, request.OutputPath, request.TargetBytes, _stopped.Token).ConfigureAwait(false);
            return new SessionCompressed(request.RequestId, request.Worker, request.SessionId,
                new PartInfo(Channel.Session.CompressedCopy, copy.Path, copy.Bytes, copy.Duration, copy.Width, copy.Height, request.ThumbnailPath));
        }
        catch (CompressionImpossibleException ex)
        {
            return new SplitFailed(request.RequestId, request.Worker, request.SessionId, ex.Message, Permanent: true);
        }
        catch (Exception ex) when (ex is ProcessFailedException or IOException or UnauthorizedAccessException)
        {
            return new SplitFailed(request.RequestId, request.Worker, request.SessionId, $"the compressed copy could not be made: {ex.Message}", Permanent: false);
        }
    }

    public static Props Props(string ffmpegPath, string ffprobePath) => Akka.Actor.Props.Create(() => new SplitterActor(ffmpegPath, ffprobePath));

    protected override void PostStop()
    {
        _stopped.Cancel();
        _stopped.Dispose();
    }

    private async Task<Channel.IChannelInput> SplitAsync(SplitSession request)
    {
        var token = _stopped.Token;
        try
        {
            var probed = new List<ProbedSegment>();
            foreach (var path in request.Segments)
            {
                probed.Add(await ProbeAsync(path, token).ConfigureAwait(false));
            }
            var plan = SplitPlanner.Plan(probed, request.Options);
            var parts = await _executor.CutAllAsync(plan, request.Options, request.PartsDirectory, request.Format, token).ConfigureAwait(false);
            return new SessionSplit(request.RequestId, request.Worker, request.SessionId,
                parts.Select(p => new PartInfo(p.Number, p.Path, p.Bytes, p.Duration, p.Width, p.Height, p.ThumbnailPath)).ToImmutableList(),
                plan.Dropped.ToImmutableList());
        }
        catch (Exception ex) when (ex is ProcessFailedException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return new SplitFailed(request.RequestId, request.Worker, request.SessionId, ex.Message, IsPermanent(ex));
        }
    }

    /// <summary>
    /// Cuts a refused part's own file in two halves with new names (<c>part-05a</c>, <c>part-05b</c>): the
    /// original stays untouched until the channel persisted the replacement, so a crash leaves nothing inconsistent.
    /// </summary>
    private async Task<Channel.IChannelInput> RecutAsync(RecutPart request)
    {
        var token = _stopped.Token;
        try
        {
            var probe = await _ffprobe.ProbeAsync(request.Part.Path, TimeSpan.FromMinutes(1), token).ConfigureAwait(false);
            var duration = probe.Duration ?? TimeSpan.Zero;
            if (duration < TimeSpan.FromSeconds(2))
            {
                return new SplitFailed(request.RequestId, request.Worker, request.SessionId,
                    $"part {request.Part.Number} is too big for the target and too short ({duration.TotalSeconds:0.#} s) to cut without re-encoding", Permanent: true);
            }
            var start = probe.StartTime;
            var middle = start + duration / 2;
            var stem = Path.GetFileNameWithoutExtension(request.Part.Path);
            var directory = Path.GetDirectoryName(request.Part.Path)!;
            var halves = ImmutableList.CreateBuilder<PartInfo>();
            foreach (var (suffix, from, to, number) in new[] { ("a", start, middle, request.Part.Number), ("b", middle, start + duration, request.Part.Number + 1) })
            {
                var planned = new PlannedPart(number, [new PartSource(request.Part.Path, from, to)], TimeSpan.Zero, to - from, request.Part.Bytes / 2);
                var cut = await _cutter.CutAsync(planned, directory, request.Format, stem + suffix, token).ConfigureAwait(false);
                halves.Add(new PartInfo(number, cut.Path, cut.Bytes, cut.Duration, cut.Width, cut.Height, cut.ThumbnailPath));
            }
            return new PartRecut(request.RequestId, request.Worker, request.SessionId, request.Part.Number, halves.ToImmutable());
        }
        catch (Exception ex) when (ex is ProcessFailedException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return new SplitFailed(request.RequestId, request.Worker, request.SessionId, $"part {request.Part.Number} could not be cut smaller: {ex.Message}",
                IsPermanent(ex));
        }
    }

    /// <summary>
    /// Cutting again cannot help when ffmpeg refuses the input or a part cannot be cut smaller without re-encoding; a full
    /// disk, a timeout, a permission or any other I/O error may well be gone on the next try.
    /// </summary>
    private static bool IsPermanent(Exception ex) => ex switch
    {
        InvalidOperationException => true,
        ProcessFailedException { ExitCode: not null } failed => !failed.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private async Task<ProbedSegment> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return new ProbedSegment(path, null, 0, "missing");
        }
        var bytes = new FileInfo(path).Length;
        try
        {
            var probe = await _ffprobe.ProbeAsync(path, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
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
