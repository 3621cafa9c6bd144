using System.Collections.Immutable;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Ffmpeg;

public sealed class FfmpegArgumentsSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private static RecordingRequest Request(string url) => new()
    {
        InputUrl = url,
        OutputDirectory = "/rec/alice/session-1",
        FilePrefix = "a1",
        SegmentDuration = TimeSpan.FromMinutes(10),
        FirstSegmentNumber = 4,
    };

    private static string After(IReadOnlyList<string> args, string flag) => args[args.ToList().IndexOf(flag) + 1];

    [Fact]
    public void Record_must_copy_into_numbered_segments_and_report_progress_on_stdout()
    {
        var args = FfmpegArguments.Record(Request("https://cdn.example/live.m3u8"));
        Assert.Equal("copy", After(args, "-c"));
        Assert.Equal(["-map", "0:v?", "-map", "0:a?"], args.SkipWhile(a => a != "-map").Take(4));
        Assert.Equal(2, args.Count(a => a == "-map")); // video and audio only: a data stream (timed ID3) breaks Matroska and MP4
        Assert.Equal("pipe:1", After(args, "-progress"));
        Assert.Equal("segment", After(args, "-f"));
        Assert.Equal("600", After(args, "-segment_time"));
        Assert.Equal("4", After(args, "-segment_start_number"));
        Assert.Equal("mpegts", After(args, "-segment_format"));
        Assert.Equal("/rec/alice/session-1/a1-%05d.ts", args[^1]);
        Assert.Equal("/rec/alice/session-1/a1.segments.csv", After(args, "-segment_list"));
        Assert.DoesNotContain("-nostdin", args); // 'q' on stdin is the graceful stop
    }

    [Fact]
    public void Http_inputs_must_reconnect_and_carry_headers_without_line_breaks_injected()
    {
        var request = Request("https://cdn.example/live.flv") with
        {
            Headers = ImmutableDictionary<string, string>.Empty.Add("Referer", "https://site\r\nX-Evil: 1").Add("Cookie", "a=b"),
        };
        var args = FfmpegArguments.Record(request);
        Assert.Equal("1", After(args, "-reconnect"));
        Assert.Equal("30000000", After(args, "-rw_timeout"));
        Assert.Equal("Cookie: a=b\r\nReferer: https://siteX-Evil: 1\r\n", After(args, "-headers"));
    }

    [Fact]
    public void Non_http_inputs_must_not_get_http_options()
    {
        var args = FfmpegArguments.Record(Request("/tmp/file.ts"));
        Assert.DoesNotContain("-reconnect", args);
        Assert.DoesNotContain("-headers", args);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("x/y")]
    public void An_unsafe_prefix_must_be_refused(string prefix) =>
        Assert.Throws<ArgumentException>(() => FfmpegArguments.Record(Request("/tmp/x.ts") with { FilePrefix = prefix }));

    [Fact(Timeout = 60_000)]
    public async Task Recording_a_real_input_must_produce_the_listed_segments()
    {
        var dir = Path.Combine(media.Directory, "record");
        Directory.CreateDirectory(dir);
        var request = new RecordingRequest
        {
            InputUrl = media.SampleTs,
            OutputDirectory = dir,
            FilePrefix = "s1",
            SegmentDuration = TimeSpan.FromSeconds(2),
        };
        var parser = new ProgressParser();
        var blocks = new List<FfmpegProgress>();
        await using var ffmpeg = ChildProcess.Start("ffmpeg", FfmpegArguments.Record(request),
            line =>
            {
                if (parser.Feed(line) is { } block)
                {
                    blocks.Add(block);
                }
            });
        var result = await ffmpeg.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, result.ExitCode);
        var entries = File.ReadAllLines(request.SegmentListPath).Select(SegmentListEntry.Parse).OfType<SegmentListEntry>().ToList();
        Assert.Equal(["s1-00000.ts", "s1-00001.ts", "s1-00002.ts"], entries.Select(e => e.FileName));
        Assert.InRange(entries.Sum(e => e.Duration.TotalSeconds), 4.8, 5.3);
        Assert.True(blocks[^1].Ended);
        Assert.All(entries, e => Assert.True(new FileInfo(Path.Combine(dir, e.FileName)).Length > 0));
    }

    [Fact]
    public void A_live_input_must_be_probed_narrowly_unless_asked_wide_and_a_missed_stream_must_be_recognised()
    {
        var request = new RecordingRequest { InputUrl = "http://cdn/live.m3u8", OutputDirectory = "/rec", FilePrefix = "a001" };

        var narrow = FfmpegArguments.Record(request);
        var wide = FfmpegArguments.Record(request with { WideProbe = true });

        Assert.Equal(["-probesize", "256000", "-analyzeduration", "2000000"], Before(narrow, "-i").TakeLast(4));
        Assert.Equal(["-probesize", "8000000", "-analyzeduration", "15000000"], Before(wide, "-i").TakeLast(4));
        Assert.True(FfmpegArguments.ProbeTooNarrow(["[mpegts @ 0x5] sample rate not set", "Could not write header for output file #0 (incorrect codec parameters ?): Invalid argument"]));
        Assert.False(FfmpegArguments.ProbeTooNarrow(["http://cdn/live.m3u8: Server returned 404 Not Found"]));
    }

    [Fact]
    public void A_session_that_has_nothing_yet_must_read_an_HLS_input_from_further_back_in_its_window()
    {
        var request = new RecordingRequest { InputUrl = "http://cdn/live/index.m3u8?token=x", OutputDirectory = "/rec", FilePrefix = "a001" };

        Assert.Equal(["-live_start_index", "-15"], Before(FfmpegArguments.Record(request with { FromWindowStart = true }), "-i").TakeLast(2));
        Assert.DoesNotContain("-live_start_index", FfmpegArguments.Record(request));
        Assert.DoesNotContain("-live_start_index", FfmpegArguments.Record(request with { InputUrl = "rtmp://cdn/live/x", FromWindowStart = true }));
    }

    private static IEnumerable<string> Before(IReadOnlyList<string> args, string marker) => args.Take(args.ToList().IndexOf(marker));
}
