using System.Net;
using System.Text.Json;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Management;
using ActorRecorder.Host.Tests.InProcess;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Management;

/// <summary>The management API's contract on a real node: the token, every error, channel commands, the journal, the cluster and actors.</summary>
public sealed class ManagementApiSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly (string Method, string Path)[] Protected =
    [
        ("GET", "/health/ready"), ("GET", "/metrics"), ("GET", "/api/channels"), ("GET", "/api/channels/demo"), ("GET", "/api/channels/demo/events"),
        ("GET", "/api/channels/demo/live"), ("POST", "/api/channels/demo/start"), ("POST", "/api/channels/demo/stop"), ("POST", "/api/channels/demo/pause"),
        ("POST", "/api/channels/demo/resume"), ("POST", "/api/channels/demo/split"), ("GET", "/api/cluster/members"), ("POST", "/api/cluster/join"),
        ("POST", "/api/cluster/leave"), ("POST", "/api/cluster/down"), ("POST", "/api/cluster/down-unreachable"), ("GET", "/api/sharding/regions"),
        ("GET", "/api/sharding/shards"), ("GET", "/api/actors"), ("GET", "/api/logs"), ("GET", "/api/recordings"), ("POST", "/api/recordings/s/1/link"),
        ("POST", "/api/uploads/s/retry"), ("POST", "/api/probe"), ("GET", "/no/such/endpoint"),
    ];

    [Fact(Timeout = 60_000)]
    public async Task Every_endpoint_but_health_must_answer_401_without_the_token_and_401_invalid_token_with_a_wrong_one()
    {
        await StartNodeAsync();
        using var api = ManagementClient.For(Node);
        using var wrong = new HttpClient { BaseAddress = api.Address };
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token-at-all");
        using var basic = new HttpClient { BaseAddress = api.Address };
        basic.DefaultRequestHeaders.Authorization = new("Basic", "dXNlcjpwYXNz");
        foreach (var (method, path) in Protected)
        {
            var (status, body) = await api.SendAsync(new HttpMethod(method), path, client: api.Anonymous);
            Assert.True(status == 401, $"{method} {path} without a token: {status}");
            Assert.Contains("Authorization", body.GetProperty("detail").GetString());
            Assert.Equal(401, (await api.SendAsync(new HttpMethod(method), path, client: basic)).Status);
            var (refused, why) = await api.SendAsync(new HttpMethod(method), path, client: wrong);
            Assert.True(refused == 401, $"{method} {path} with a wrong token: {refused}");
            Assert.Contains("token", why.GetProperty("detail").GetString());
        }
        using var challenge = await api.Anonymous.GetAsync("/api/channels");
        Assert.Equal("Bearer", challenge.Headers.WwwAuthenticate.Single().ToString());
        using var invalid = await wrong.GetAsync("/api/channels");
        var header = invalid.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", header.Scheme);
        Assert.StartsWith("error=\"invalid_token\"", header.Parameter, StringComparison.Ordinal);

        var (healthStatus, health) = await api.SendAsync(HttpMethod.Get, "/health", client: api.Anonymous);
        Assert.Equal(200, healthStatus);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var (readyStatus, ready) = await api.SendAsync(HttpMethod.Get, "/health/ready");
        Assert.Equal(200, readyStatus);
        Assert.Equal(["akka.actorsystem", "akka.cluster.join", "channels", "disk", "ffmpeg", "journal", "leases", "tools"],
            ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        var tokenFile = Path.Combine(Node.Settings.DataDir, "management.token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Equal(api.Address, new Uri(File.ReadAllText(Path.Combine(Node.Settings.DataDir, "management.address")).Trim()));
    }

    [Fact(Timeout = 60_000)]
    public async Task Readiness_must_answer_503_naming_the_failing_check()
    {
        await StartNodeAsync(extra: "recording.ffmpeg-path = /nonexistent/ffmpeg");
        using var api = ManagementClient.For(Node);
        var (status, body) = await api.SendAsync(HttpMethod.Get, "/health/ready");
        Assert.Equal(503, status);
        var ffmpeg = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "ffmpeg");
        Assert.Equal("Unhealthy", ffmpeg.GetProperty("status").GetString());
        Assert.Contains("/nonexistent/ffmpeg", ffmpeg.GetProperty("description").GetString());
        Assert.Equal(200, (await api.SendAsync(HttpMethod.Get, "/health", client: api.Anonymous)).Status); // liveness is not readiness
    }

    [Fact(Timeout = 150_000)]
    public async Task Channel_commands_must_drive_the_recording_and_answer_409_when_they_make_no_sense_now()
    {
        await StartNodeAsync(grace: "8s");
        using var api = ManagementClient.For(Node);
        var channels = await api.GetAsync<List<ChannelView>>("/api/channels");
        Assert.Equal("demo", Assert.Single(channels).Id);
        Assert.Equal(Source.PlaylistUrl, channels[0].Url);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/channels/nope")).Status);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Post, "/api/channels/nope/start")).Status);

        await Conflict(api, "stop", "not recording");
        await Conflict(api, "split", "nothing to split");
        await Conflict(api, "resume", "not paused");
        Assert.True((await Command(api, "pause")).Paused);
        await Conflict(api, "pause", "already paused");
        Assert.False((await Command(api, "resume")).Paused);

        await Command(api, "pause");
        await Source.GoLiveAsync();
        Assert.False((await Command(api, "start")).Paused); // a paused channel resumes and asks the platform at once
        var first = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        await Conflict(api, "start", "already recording");
        var shown = await api.GetAsync<ChannelView>("/api/channels/demo");
        Assert.Equal("recording", shown.State);
        Assert.Equal(first.SessionId, shown.Session!.Id);
        Assert.NotNull(shown.Session.FfmpegPid);
        Assert.StartsWith(first.Directory, shown.Session.CurrentFile);
        Assert.StartsWith("akka.tcp://actorrecorder@", shown.Node);
        Assert.Equal([new Engine.Settings.ChannelSource(Source.PlaylistUrl, "generic")], shown.Sources);
        Assert.False(shown.Cookies);

        await Command(api, "split");
        var ended = await Next<SessionEnded>();
        Assert.Equal(first.SessionId, ended.SessionId);
        Assert.Contains("split", ended.Reason);
        var second = await Next<SessionStarted>();
        Assert.NotEqual(first.SessionId, second.SessionId);
        await Next<SegmentRecorded>(s => s.SessionId == second.SessionId);

        await Command(api, "stop");
        Assert.Equal(second.SessionId, (await Next<SessionEnded>()).SessionId);
        var stopped = await api.GetAsync<ChannelView>("/api/channels/demo");
        Assert.True(stopped.Paused);
        Assert.Null(stopped.Session);
        await Conflict(api, "stop", "not recording");
        await Command(api, "start");
        var third = await Next<SessionStarted>();
        Assert.NotEqual(second.SessionId, third.SessionId);

        // The recording goes on writing events: the journal is read first, so the tail (read after) reaches at least its end.
        var journal = await JournalAsync();
        var tail = await api.GetAsync<List<EventView>>("/api/channels/demo/events?limit=5");
        Assert.Equal(5, tail.Count);
        Assert.True(tail[^1].SequenceNr >= journal.Count - 1, $"the tail ends at {tail[^1].SequenceNr}, the journal had {journal.Count} before it was read");
        Assert.Equal(Enumerable.Range((int)tail[0].SequenceNr, 5).Select(n => (long)n), tail.Select(e => e.SequenceNr));
        var head = await api.GetAsync<List<EventView>>("/api/channels/demo/events?from=1&limit=2");
        Assert.Equal([1L, 2L], head.Select(e => e.SequenceNr));
        Assert.Equal(journal[0].GetType().Name, head[0].Type);
        Assert.Equal("ChannelPaused", head[0].Type);
        foreach (var bad in new[] { "from=0", "limit=0", "limit=1001", "from=abc", "limit=-3" })
        {
            var (status, body) = await api.SendAsync(HttpMethod.Get, "/api/channels/demo/events?" + bad);
            Assert.True(status == 400, bad);
            Assert.Contains(bad.Split('=')[0], body.GetProperty("detail").GetString());
        }
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/channels/nope/events")).Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cluster_sharding_actors_and_logs_must_describe_the_running_node()
    {
        await StartNodeAsync();
        using var api = ManagementClient.For(Node);
        await NodeWorkspace.Eventually(async () => (await StatusAsync()).Lifecycle == Lifecycle.Active, () => "the channel to start", Patience);
        var cluster = await api.GetAsync<ClusterView>("/api/cluster/members");
        var self = Assert.Single(cluster.Members);
        Assert.True(self is { IsSelf: true, IsLeader: true, Reachable: true, Status: "Up" });
        Assert.Equal(cluster.Self, self.Address);

        var regions = await api.GetAsync<List<RegionView>>("/api/sharding/regions");
        var region = Assert.Single(Assert.Single(regions, r => r.TypeName == "channel").Regions);
        Assert.Equal((self.Address, 1), (region.Node, region.Entities));
        var shards = await api.GetAsync<List<ShardView>>("/api/sharding/shards");
        Assert.Equal(["demo"], Assert.Single(shards).Entities);
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/sharding/shards?type=nope")).Status);

        var tree = await api.GetAsync<ActorView>("/api/actors?path=/system/sharding&depth=4");
        var channel = Flatten(tree).Single(a => a.Path.EndsWith("/demo", StringComparison.Ordinal));
        Assert.Equal("ChannelActor", channel.Type);
        Assert.Contains(channel.Children, c => c.Path.Contains("/monitor", StringComparison.Ordinal) && c.Type == "MonitorActor");
        var user = await api.GetAsync<ActorView>("/api/actors");
        Assert.Contains(user.Children, c => c is { Path: "/user/channel-directory", Type: "ChannelDirectoryActor" });
        var shallow = await api.GetAsync<ActorView>("/api/actors?path=/system/sharding&depth=1");
        Assert.All(shallow.Children, c => Assert.Empty(c.Children));
        Assert.Equal(404, (await api.SendAsync(HttpMethod.Get, "/api/actors?path=/user/nobody")).Status);
        foreach (var bad in new[] { "path=user", "path=/user/*", "path=/user/../system", "depth=11", "depth=x" })
        {
            Assert.Equal(400, (await api.SendAsync(HttpMethod.Get, "/api/actors?" + bad)).Status);
        }

        var logs = await api.GetAsync<List<LogLine>>("/api/logs?lines=500");
        Assert.Contains(logs, l => l.Message.Contains("management API listening on", StringComparison.Ordinal));
        Assert.Equal(2, (await api.GetAsync<List<LogLine>>("/api/logs?lines=2")).Count);
        Assert.Equal(400, (await api.SendAsync(HttpMethod.Get, "/api/logs?lines=0")).Status);

        foreach (var endpoint in new[] { "join", "leave", "down" })
        {
            var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/cluster/" + endpoint, "{ not json");
            Assert.Equal(400, status);
            Assert.Contains("not valid JSON", body.GetProperty("detail").GetString());
            Assert.Equal(400, (await api.SendAsync(HttpMethod.Post, "/api/cluster/" + endpoint, """{"address": "no-port"}""")).Status);
            Assert.Equal(400, (await api.SendAsync(HttpMethod.Post, "/api/cluster/" + endpoint, "{}")).Status);
        }
        var (unknown, why) = await api.SendAsync(HttpMethod.Post, "/api/cluster/leave", """{"address": "127.0.0.1:1"}""");
        Assert.Equal(404, unknown);
        Assert.Contains("not a member", why.GetProperty("detail").GetString());
        var (downed, none) = await api.SendAsync(HttpMethod.Post, "/api/cluster/down-unreachable");
        Assert.Equal(200, downed);
        Assert.Empty(none.GetProperty("downed").EnumerateArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_must_name_the_resolver_say_whether_the_url_is_live_and_list_its_streams()
    {
        await StartNodeAsync();
        using var api = ManagementClient.For(Node);
        foreach (var (body, complaint) in new[]
                 {
                     ("{ not json", "not valid JSON"), ("{}", "'url'"), ("""{"url": "relative/path"}""", "'url'"),
                     ("""{"url": "gopher://example.com/x"}""", "'url'"), ($$"""{"url": "{{Source.PlaylistUrl}}", "resolver": "nope"}""", "unknown resolver"),
                 })
        {
            var (status, problem) = await api.SendAsync(HttpMethod.Post, "/api/probe", body);
            Assert.True(status == 400, body);
            Assert.Contains(complaint, problem.GetProperty("detail").GetString());
        }
        var offline = await Probe(api);
        Assert.Equal(("generic", false), (offline.Resolver, offline.Live));
        Assert.NotNull(offline.Reason);

        await Source.GoLiveAsync();
        ProbeView live = offline;
        await NodeWorkspace.Eventually(async () => (live = await Probe(api)).Live, () => "the probe to see the source live: " + live.Reason, TimeSpan.FromSeconds(15));
        Assert.Contains(live.Streams, s => s is { Type: "video", Width: 320, Height: 180 });
        Assert.Contains(live.Streams, s => s.Type == "audio");
    }

    [Fact(Timeout = 90_000)]
    public async Task Channels_added_and_removed_at_runtime_must_run_be_validated_and_be_kept_in_the_data_directory()
    {
        await StartNodeAsync();
        using var api = ManagementClient.For(Node);
        foreach (var (body, complaint) in new[]
                 {
                     ("{ not json", "not valid JSON"), ("""{"id": "x"}""", "'url'"), ("""{"url": "http://a/b.m3u8"}""", "'id'"),
                     ("""{"id": "Bad Id", "url": "http://a/b.m3u8"}""", "channels.runtime.conf"),
                     ("""{"id": "x", "url": "ftp://a/b"}""", "unsupported scheme"),
                     ("""{"id": "x", "url": "http://a/b.m3u8", "resolver": "nope"}""", "unknown resolver"),
                 })
        {
            var (status, problem) = await api.SendAsync(HttpMethod.Post, "/api/channels", body);
            Assert.True(status == 400, $"{body}: {status} {problem}");
            Assert.Contains(complaint, problem.GetProperty("detail").GetString());
        }
        var runtimeFile = Path.Combine(Node.Settings.DataDir, "channels.runtime.conf");
        Assert.False(File.Exists(runtimeFile), "a refused channel left a trace");
        Assert.Equal(409, (await api.SendAsync(HttpMethod.Post, "/api/channels", $$"""{"id": "demo", "url": "{{Source.PlaylistUrl}}"}""")).Status);

        var (created, added) = await api.SendAsync(HttpMethod.Post, "/api/channels", $$"""{"id": "extra", "url": "{{Source.PlaylistUrl}}", "resolver": "generic"}""");
        Assert.Equal(201, created);
        Assert.Equal("extra", added.GetProperty("id").GetString());
        await NodeWorkspace.Eventually(async () => (await api.GetAsync<List<ChannelView>>("/api/channels")).Any(c => c is { Id: "extra", Lifecycle: "active" }),
            () => "the added channel to run", Patience);
        Assert.Contains("extra", await File.ReadAllTextAsync(runtimeFile));
        Assert.Contains(Node.Settings.Channels, c => c.Id == "extra");

        Assert.Equal(404, (await api.SendAsync(HttpMethod.Delete, "/api/channels/nope")).Status);
        Assert.Equal(202, (await api.SendAsync(HttpMethod.Delete, "/api/channels/extra")).Status);
        Assert.Equal(202, (await api.SendAsync(HttpMethod.Delete, "/api/channels/demo")).Status); // one of the file's channels
        await NodeWorkspace.Eventually(async () => (await api.GetAsync<List<ChannelView>>("/api/channels")).Count == 0, () => "both channels to be removed", Patience);
        var (added2, removed) = Channels.RuntimeChannels.Read(Node.Settings.DataDir);
        Assert.Empty(added2);
        Assert.Equal(["demo"], removed);
        var (_, reloaded) = RecorderHost.Load(Path.Combine(Root, "node.conf")); // what the next start runs: not the removed channel
        Assert.Empty(Engine.Settings.EngineSettings.Load(reloaded, Root).Channels);
    }

    private async Task<ProbeView> Probe(ManagementClient api)
    {
        var (status, body) = await api.SendAsync(HttpMethod.Post, "/api/probe", $$"""{"url": "{{Source.PlaylistUrl}}"}""");
        Assert.Equal(200, status);
        return body.Deserialize<ProbeView>(ManagementJson.Options)!;
    }

    private static IEnumerable<ActorView> Flatten(ActorView actor) => actor.Children.SelectMany(Flatten).Prepend(actor);

    private static async Task<ChannelView> Command(ManagementClient api, string command)
    {
        var (status, body) = await api.SendAsync(HttpMethod.Post, $"/api/channels/demo/{command}");
        Assert.True(status == (int)HttpStatusCode.Accepted, $"{command}: {status} {body}");
        return body.Deserialize<ChannelView>(ManagementJson.Options)!;
    }

    private static async Task Conflict(ManagementClient api, string command, string why)
    {
        var (status, body) = await api.SendAsync(HttpMethod.Post, $"/api/channels/demo/{command}");
        Assert.True(status == 409, $"{command}: {status} {body}");
        Assert.Contains(why, body.GetProperty("detail").GetString());
        Assert.Equal("Conflict", body.GetProperty("title").GetString());
    }
}
