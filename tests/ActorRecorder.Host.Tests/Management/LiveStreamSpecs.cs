using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.InProcess;
using ActorRecorder.Media.Probing;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Management;

/// <summary>The live MPEG-TS stream of an ongoing recording: real bytes at once, bounded memory for slow clients, the recording untouched.</summary>
public sealed class LiveStreamSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task The_live_stream_must_be_playable_MPEG_TS_from_the_recording_and_end_with_it()
    {
        await StartNodeAsync(grace: "2s");
        using var api = ManagementClient.For(Node);
        var (notLive, why) = await api.SendAsync(HttpMethod.Get, "/api/channels/demo/live");
        Assert.Equal(404, notLive);
        Assert.Contains("not recording", why.GetProperty("detail").GetString());
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/channels/nope/live")).Status);

        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        using var response = await api.Http.GetAsync("/api/channels/demo/live", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("video/mp2t", response.Content.Headers.ContentType!.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var captured = Path.Combine(Root, "live.ts");
        await using (var file = File.Create(captured))
        {
            var buffer = new byte[64 * 1024];
            var total = 0L;
            var reading = Stopwatch.StartNew();
            // More than a segment's worth: the stream follows ffmpeg from one segment file into the next.
            while (total < 600 * 1024 && reading.Elapsed < TimeSpan.FromSeconds(60))
            {
                var read = await stream.ReadAsync(buffer);
                Assert.True(read > 0, $"the live stream ended after {total} bytes");
                await file.WriteAsync(buffer.AsMemory(0, read));
                total += read;
            }
        }
        var bytes = await File.ReadAllBytesAsync(captured);
        for (var packet = 0; packet + 188 <= bytes.Length; packet += 188)
        {
            Assert.True(bytes[packet] == 0x47, $"no MPEG-TS sync byte at {packet}");
        }
        var probed = await new Ffprobe().ProbeAsync(captured, TimeSpan.FromSeconds(20));
        Assert.True(probed.HasVideo && probed.HasAudio);
        // Byte for byte what ffmpeg wrote: one segment file after the other, from the one being written at the request.
        var files = Directory.GetFiles(started.Directory, "a001-*.ts").Order(StringComparer.Ordinal).ToList();
        var first = files.FindIndex(f => bytes.AsSpan().StartsWith(File.ReadAllBytes(f).AsSpan(0, 188 * 10)));
        Assert.True(first >= 0, "the live stream does not start at a segment's first bytes");
        var expected = files.Skip(first).SelectMany(File.ReadAllBytes).Take(bytes.Length).ToArray();
        Assert.True(expected.Length == bytes.Length && expected.AsSpan().SequenceEqual(bytes), "the live stream is not the segment files one after the other");
        Assert.True(bytes.Length > new FileInfo(files[first]).Length, "the live stream did not go on into the next segment");

        await Source.EndAsync();
        await Next<SessionEnded>(e => e.SessionId == started.SessionId);
        // The stream must end at all (it asks the channel's state every 2 s); how soon is the machine's load.
        var rest = new byte[64 * 1024];
        using var ends = new CancellationTokenSource(Patience);
        while (await stream.ReadAsync(rest, ends.Token) > 0)
        {
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task Twenty_clients_that_do_not_read_must_cost_bounded_memory_be_dropped_and_leave_the_recording_alone()
    {
        await StartNodeAsync(grace: "10s", extra: "management.live-client-timeout = 3s");
        using var api = ManagementClient.For(Node);
        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        var before = Rss();

        var sockets = new List<Socket>();
        for (var i = 0; i < 20; i++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(api.Address.Host, api.Address.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"GET /api/channels/demo/live HTTP/1.1\r\nHost: {api.Address.Authority}\r\nAuthorization: Bearer {api.Token}\r\n\r\n"));
            sockets.Add(socket); // and never read from it
        }
        // The recording goes on while they stall: the next five segments (10 s of media) come in the same attempt.
        for (var segments = 0; segments < 5; segments++)
        {
            var segment = await Next<SegmentRecorded>();
            Assert.Equal(started.SessionId, segment.SessionId);
        }
        var grown = Rss() - before;
        Output.WriteLine($"20 stalled live clients: 5 segments recorded meanwhile, process grew {grown / 1024} KiB");
        Assert.True(grown < 20 * 1024 * 1024, $"the process grew {grown / (1024 * 1024)} MiB with 20 stalled clients");
        var journal = await JournalAsync();
        Assert.DoesNotContain(journal, e => e is RecordingAttemptEnded or StreamDropped);

        // Each stalled client was dropped after live-client-timeout (3 s, on the wall clock): its connection is closed by the
        // node. 20 s leave room for a loaded machine; a client never dropped stays open far longer.
        foreach (var socket in sockets)
        {
            var sink = new byte[64 * 1024];
            var closed = Stopwatch.StartNew();
            while (closed.Elapsed < TimeSpan.FromSeconds(20))
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(sink, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(20));
                }
                catch (SocketException)
                {
                    break; // reset: dropped
                }
                if (read == 0)
                {
                    break;
                }
            }
            Assert.True(closed.Elapsed < TimeSpan.FromSeconds(20), "a stalled client was never dropped");
            socket.Dispose();
        }
        var metrics = await api.Http.GetStringAsync("/metrics");
        Assert.Contains("actorrecorder_live_clients 0", metrics);
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
