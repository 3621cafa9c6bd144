using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Management;
using ActorRecorder.Host.Tests.InProcess;
using ActorRecorder.Media.Splitting;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Management;

/// <summary>Recordings from the journal, signed expiring download links with Range, and every way a link can be wrong.</summary>
public sealed class RecordingsApiSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 180_000)]
    public async Task A_delivered_session_must_be_listed_and_its_parts_served_by_signed_links_that_refuse_forgery_expiry_and_traversal()
    {
        await StartNodeAsync(grace: "2s");
        await Configure(Settings with
        {
            Delivery = new DeliverySettings(["archive"], false, ArchivePath, 300 * 1024, TimeSpan.FromSeconds(0.5), PartFormat.Mp4),
        });
        using var api = ManagementClient.For(Node);
        var started = await RecordABroadcast();
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));

        var recording = Assert.Single(await api.GetAsync<List<RecordingView>>("/api/recordings?channel=demo"));
        Assert.Equal((started.SessionId, "completed", "demo"), (recording.Session, recording.State, recording.Channel));
        Assert.True(recording.Parts.Count >= 2, $"{recording.Parts.Count} parts");
        Assert.All(recording.Parts, p => Assert.Equal("archive", Assert.Single(p.Uploads).Target));
        Assert.Equal(recording.Session, Assert.Single(await api.GetAsync<List<RecordingView>>("/api/recordings")).Session);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/recordings?channel=nope")).Status);

        var part = recording.Parts[0];
        var (linked, body) = await api.SendAsync(HttpMethod.Post, $"/api/recordings/{started.SessionId}/1/link");
        Assert.Equal(200, linked);
        var link = new Uri(body.GetProperty("url").GetString()!);
        var expires = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(5.9), TimeSpan.FromHours(6.1));

        var whole = await api.Anonymous.GetByteArrayAsync(link.PathAndQuery); // no token needed: the signature is the grant
        Assert.Equal(await File.ReadAllBytesAsync(part.File), whole);
        using (var range = new HttpRequestMessage(HttpMethod.Get, link.PathAndQuery))
        {
            range.Headers.Range = new RangeHeaderValue(100, 299);
            using var partial = await api.Anonymous.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(whole[100..300], await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal($"bytes 100-299/{whole.Length}", partial.Content.Headers.ContentRange!.ToString());
        }
        using (var beyond = new HttpRequestMessage(HttpMethod.Get, link.PathAndQuery))
        {
            beyond.Headers.Range = new RangeHeaderValue(whole.Length + 10, null);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await api.Anonymous.SendAsync(beyond)).StatusCode);
        }

        // Forged, altered, expired: 403 whatever the path.
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var relative = Uri.UnescapeDataString(link.AbsolutePath["/download/demo/".Length..]);
        var key = SHA256.HashData(Encoding.UTF8.GetBytes("actorrecorder download link\n" + api.Token));
        var forged = query["sig"]![..^4] + (query["sig"]![^4..] == "0000" ? "1111" : "0000");
        foreach (var bad in new[]
                 {
                     link.AbsolutePath, // no signature
                     $"{link.AbsolutePath}?exp={query["exp"]}&sig={forged}",
                     $"{link.AbsolutePath}?exp={long.Parse(query["exp"]!) + 3600}&sig={query["sig"]}", // a later expiry under the same signature
                     $"{link.AbsolutePath}?exp={query["exp"]}&sig=not-hex",
                     $"/download/demo/{recording.Parts[1].File[(ArchiveRoot.Length + 1)..]}?exp={query["exp"]}&sig={query["sig"]}", // another file, same signature
                     Signed(key, "demo", relative, TimeProvider.System.GetUtcNow().AddMinutes(-1)), // expired
                     "/download/demo/../../../../etc/passwd",
                     "/download/demo/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
                     "/download/demo/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 })
        {
            using var refused = await api.Anonymous.GetAsync(bad);
            Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{bad}: {refused.StatusCode}");
            Assert.DoesNotContain("root:", await refused.Content.ReadAsStringAsync());
            if (bad.StartsWith(link.AbsolutePath, StringComparison.Ordinal) || bad.Contains("sig=", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            }
        }
        using (var expired = await api.Anonymous.GetAsync(Signed(key, "demo", relative, TimeProvider.System.GetUtcNow().AddMinutes(-1))))
        {
            Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        }

        // Correctly signed, but outside the recordings folder (in every spelling) or missing: 404, never the file.
        foreach (var outside in new[] { "../../../../etc/passwd", "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/etc/passwd", "demo/nothing-here.ts", "a/../../../../../etc/passwd" })
        {
            using var refused = await api.Anonymous.GetAsync(Signed(key, "demo", outside, TimeProvider.System.GetUtcNow().AddMinutes(5), escape: false));
            // (dot segments are removed from a URL before it reaches any handler: such a request ends up outside /download, where the token is asked for)
            Assert.True(refused.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{outside}: {refused.StatusCode}");
            Assert.DoesNotContain("root:", await refused.Content.ReadAsStringAsync());
        }
        using (var rooted = await api.Anonymous.GetAsync(Signed(key, "demo", "%2Fetc%2Fpasswd", TimeProvider.System.GetUtcNow().AddMinutes(5), escape: false)))
        {
            Assert.True(rooted.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{rooted.StatusCode}");
        }
        using (var unknownChannel = await api.Anonymous.GetAsync(Signed(key, "nope", relative, TimeProvider.System.GetUtcNow().AddMinutes(5))))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownChannel.StatusCode);
        }

        Assert.Equal(404, (await api.SendAsync(HttpMethod.Post, $"/api/recordings/{started.SessionId}/99/link")).Status);
        Assert.Equal(400, (await api.SendAsync(HttpMethod.Post, $"/api/recordings/{started.SessionId}/x/link")).Status);
        Assert.Equal(400, (await api.SendAsync(HttpMethod.Post, $"/api/recordings/{started.SessionId}/0/link")).Status);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Post, "/api/recordings/20990101-000000-1/1/link")).Status);
        var (notFailed, why) = await api.SendAsync(HttpMethod.Post, $"/api/uploads/{started.SessionId}/retry");
        Assert.Equal(409, notFailed);
        Assert.Contains("completed", why.GetProperty("detail").GetString());
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Post, "/api/uploads/20990101-000000-1/retry")).Status);
    }

    [Fact]
    public void A_path_must_resolve_only_to_an_existing_file_inside_the_recordings_folder()
    {
        var root = Directory.CreateTempSubdirectory("ar-resolve-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "demo", "s1"));
            File.WriteAllText(Path.Combine(root, "demo", "s1", "a001-00000.ts"), "x");
            File.WriteAllText(root + "-sibling.ts", "x"); // shares the root's name as a prefix
            Assert.Equal(Path.Combine(root, "demo", "s1", "a001-00000.ts"), RecordingEndpoints.Resolve(root, "demo/s1/a001-00000.ts"));
            Assert.Equal(Path.Combine(root, "demo", "s1", "a001-00000.ts"), RecordingEndpoints.Resolve(root, "demo/x/../s1/a001-00000.ts"));
            foreach (var outside in new[] { "../../../../etc/passwd", "/etc/passwd", "demo/../../" + Path.GetFileName(root) + "-sibling.ts", "demo/s1", "demo/s1/none.ts", "a\0b", "" })
            {
                Assert.Null(RecordingEndpoints.Resolve(root, outside));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            File.Delete(root + "-sibling.ts");
        }
    }

    /// <summary>The archive folder of the channel's parts (parts are cut under the session folder: the recordings root is the channel's output-dir).</summary>
    private string ArchiveRoot => Settings.Recording.OutputDir;

    private static string Signed(byte[] key, string channel, string relative, DateTimeOffset expires, bool escape = true)
    {
        var path = escape ? string.Join('/', relative.Split('/').Select(Uri.EscapeDataString)) : relative;
        return $"/download/{channel}/{path}?exp={expires.ToUnixTimeSeconds()}&sig={DownloadLinks.Sign(key, channel, relative, expires)}";
    }
}
