using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Processes;

public sealed class CommandLineSpecs
{
    [Fact]
    public void A_command_line_for_a_log_must_quote_what_a_shell_would_split_and_mask_headers_and_url_tokens()
    {
        var line = CommandLine.Format("ffmpeg",
            ["-headers", "Cookie: session=s3cr3t\r\n", "-i", "https://cdn.example/live.m3u8?token=abc123&expires=9", "-y", "out dir/a001.ts"]);

        Assert.Equal("ffmpeg -headers *** -i 'https://cdn.example/live.m3u8?***' -y 'out dir/a001.ts'", line);
        Assert.DoesNotContain("s3cr3t", line, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", line, StringComparison.Ordinal);
    }
}
