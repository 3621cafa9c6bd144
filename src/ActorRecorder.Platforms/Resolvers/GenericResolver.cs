using System.Collections.Immutable;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Platforms.Resolvers;

/// <summary>
/// Any URL ffmpeg can read (HLS, HTTP-FLV, HTTP-TS, RTMP): live when a short probe reads media from it.
/// A probe that fails because nothing is there (404, refused, no streams) means offline; a probe that
/// cannot even run is an error.
/// </summary>
public sealed class GenericResolver(Ffprobe ffprobe, TimeSpan probeTimeout) : IChannelResolver
{
    public string Name => "generic";

    public string PlatformKey(string channelUrl) =>
        Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) ? $"generic:{uri.Host}" : "generic";

    public async Task<LiveStatus> ResolveAsync(string channelUrl, CancellationToken cancellationToken)
    {
        try
        {
            var probe = await ffprobe.ProbeAsync(channelUrl, probeTimeout, cancellationToken).ConfigureAwait(false);
            return probe.HasVideo || probe.HasAudio
                ? new LiveStatus.Live(channelUrl, ImmutableDictionary<string, string>.Empty, null)
                : new LiveStatus.Offline("the stream has no audio or video");
        }
        catch (ProcessFailedException ex) when (ex.ExitCode is not null)
        {
            var reason = ex.StderrTail.LastOrDefault() ?? ex.Reason;
            return new LiveStatus.Offline($"nothing readable at the URL: {reason}");
        }
        catch (ProcessFailedException ex)
        {
            throw new ResolverException($"ffprobe could not run: {ex.Reason}", ex);
        }
    }
}
