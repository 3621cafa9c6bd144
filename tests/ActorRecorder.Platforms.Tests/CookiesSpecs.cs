using ActorRecorder.Platforms.Cookies;
using ActorRecorder.Platforms.Resolvers;

namespace ActorRecorder.Platforms.Tests;

/// <summary>Netscape cookies files, and how a channel's cookies reach yt-dlp and streamlink (stand-in scripts record what they got).</summary>
public sealed class CookiesSpecs : IDisposable
{
    private const string Jar = "# Netscape HTTP Cookie File\r\n\r\n.twitch.tv\tTRUE\t/\tTRUE\t1893456000\tauth-token\tsecret-value\r\n#HttpOnly_.twitch.tv\tTRUE\t/\tTRUE\t0\tsession\ts3cr3t\r\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("ar-cookies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_cookies_file_must_be_read_with_its_http_only_cookies_and_windows_line_ends()
    {
        var cookies = NetscapeCookies.Parse(Jar.Split('\n'));
        Assert.Equal([new Cookie(".twitch.tv", "/", true, 1893456000, "auth-token", "secret-value"), new Cookie(".twitch.tv", "/", true, 0, "session", "s3cr3t")], cookies);
    }

    [Fact(Timeout = 60_000)]
    public async Task YtDlp_must_get_a_private_copy_of_the_cookies_never_the_values_on_its_command_line_and_the_users_file_must_stay_as_it_was()
    {
        var cookies = Write("cookies.txt", Jar);
        var seen = Path.Combine(_dir, "seen");
        // Like yt-dlp: reads --cookies, then writes its jar back to that file.
        var ytDlp = Script("yt-dlp", $$"""
            args="$*"; printf '%s' "$args" > {{seen}}.args
            while [ $# -gt 0 ]; do if [ "$1" = --cookies ]; then cp "$2" {{seen}}.jar; echo "$2" > {{seen}}.path; echo '# rewritten' > "$2"; fi; shift; done
            echo '{"title":"Live","live_status":"is_live","url":"https://cdn/x.m3u8"}'
            """);
        var resolver = new YtDlpResolver(ytDlp, "/nonexistent/streamlink", TimeSpan.FromSeconds(20));

        var live = Assert.IsType<LiveStatus.Live>(await resolver.ResolveAsync("https://www.twitch.tv/a", new ResolveOptions(cookies), CancellationToken.None));

        Assert.Equal("https://cdn/x.m3u8", live.StreamUrl);
        Assert.Equal(Jar, File.ReadAllText(seen + ".jar"));
        Assert.DoesNotContain("secret-value", File.ReadAllText(seen + ".args"));
        Assert.Contains("--ignore-no-formats-error", File.ReadAllText(seen + ".args"));
        Assert.Equal(Jar, File.ReadAllText(cookies)); // the user's file: not rewritten
        var copy = File.ReadAllText(seen + ".path").Trim();
        Assert.NotEqual(cookies, copy);
        Assert.False(File.Exists(copy), "the private copy is deleted after the run");
    }

    [Fact(Timeout = 60_000)]
    public async Task Streamlink_must_get_the_cookies_as_http_cookie_lines_of_a_private_config_file()
    {
        var cookies = Write("cookies.txt", Jar);
        var seen = Path.Combine(_dir, "seen");
        var ytDlp = Script("yt-dlp", "echo 'ERROR: Unsupported URL: https://example.tv/a' >&2; exit 1");
        var streamlink = Script("streamlink", $$$"""
            printf '%s' "$*" > {{{seen}}}.args
            while [ $# -gt 0 ]; do if [ "$1" = --config ]; then cp "$2" {{{seen}}}.config; stat -c %a "$2" > {{{seen}}}.mode; fi; shift; done
            echo '{"type":"hls","url":"https://cdn/y.m3u8","metadata":{"title":"Hi"}}'
            """);
        var resolver = new YtDlpResolver(ytDlp, streamlink, TimeSpan.FromSeconds(20));

        var live = Assert.IsType<LiveStatus.Live>(await resolver.ResolveAsync("https://example.tv/a", new ResolveOptions(cookies), CancellationToken.None));

        Assert.Equal("https://cdn/y.m3u8", live.StreamUrl);
        Assert.Equal("http-cookie=auth-token=secret-value\nhttp-cookie=session=s3cr3t\n", File.ReadAllText(seen + ".config"));
        Assert.Equal("600", File.ReadAllText(seen + ".mode").Trim());
        Assert.DoesNotContain("secret", File.ReadAllText(seen + ".args"));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Script(string name, string body)
    {
        var path = Write(name, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
