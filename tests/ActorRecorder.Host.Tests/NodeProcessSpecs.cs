using ActorRecorder.ClusterLab;
using System.Diagnostics;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.Support;
using ActorRecorder.Media.Probing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests;

public sealed class NodeProcessSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory(Timeout = 180_000)]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_node_killed_with_SIGKILL_must_resume_the_same_session_when_started_again(string journal)
    {
        await using var database = journal == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        await using var node = new NodeWorkspace { Postgres = database?.ConnectionString };
        await node.Source.GoLiveAsync();
        node.WriteConfig("""[ { id = demo, url = ${source} } ]""");
        var log = new List<string>();
        var first = node.StartNode(log);
        var before = await node.WaitForAsync("demo", e => e.OfType<SegmentRecorded>().Count() >= 2, "two segments", Patience);
        var session = before.OfType<SessionStarted>().Single().SessionId;

        first.Kill(); // SIGKILL: no graceful anything
        await first.WaitForExitAsync();
        var orphanPidFile = Directory.EnumerateFiles(Path.Combine(node.Root, "recordings"), "*.pid", SearchOption.AllDirectories).Single();
        var orphan = int.Parse(await File.ReadAllTextAsync(orphanPidFile));

        var second = node.StartNode(log);
        var after = await node.WaitForAsync("demo",
            e => e.OfType<SegmentRecorded>().Any(s => s.SessionId == session && s.Attempt >= 2), "a segment of the resumed session", Patience);
        Assert.Single(after.OfType<SessionStarted>());
        // The killed attempt ends as interrupted and the next one records in the same session (at once if the broadcast was
        // found live before the left segments were probed; otherwise after a drop and a resume).
        Assert.Contains(after.OfType<RecordingAttemptEnded>(), a => a.SessionId == session && a.Outcome == "Interrupted" && a.Reason == "the channel stopped while recording");
        Assert.Contains(after.OfType<RecordingAttemptStarted>(), a => a.SessionId == session && a.Attempt >= 2);
        Assert.False(IsAlive(orphan), "the ffmpeg that outlived the killed node was stopped");

        var segments = after.OfType<SegmentRecorded>().ToList();
        Assert.Equal(segments.Count, segments.Select(s => s.Path).Distinct().Count());
        foreach (var earlier in before.OfType<SegmentRecorded>())
        {
            var probe = await new Ffprobe().ProbeAsync(earlier.Path, TimeSpan.FromSeconds(20));
            Assert.True(probe.HasVideo, $"{earlier.Path} is intact");
            Assert.Equal(earlier.Bytes, new FileInfo(earlier.Path).Length);
        }
        output.WriteLine(string.Join('\n', log));
        await StopGracefully(second);
    }

    [Fact(Timeout = 120_000)]
    public async Task SIGTERM_must_stop_the_node_within_its_budget_with_ffmpeg_finishing_its_file()
    {
        await using var node = new NodeWorkspace();
        await node.Source.GoLiveAsync();
        node.WriteConfig("""[ { id = demo, url = ${source} } ]""");
        var log = new List<string>();
        var process = node.StartNode(log);
        await node.WaitForAsync("demo", e => e.OfType<SegmentRecorded>().Any(), "a segment", Patience);

        var elapsed = await StopGracefully(process);
        output.WriteLine($"stopped in {elapsed.TotalSeconds:0.0} s\n" + string.Join('\n', log));
        // The 10 s are the node's budget: its shutdown phases are bounded to fit (8 s for the hand-off, ffmpeg's 3 s + 2 s
        // inside it). Whether it kept to it is what its log says (no phase ran out of time) and what the journal says (ffmpeg
        // finished its file); the wall clock of a loaded machine only says how busy the machine was.
        Assert.DoesNotContain(Snapshot(log).Split('\n'), l => l.Contains("timed out", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, process.ExitCode);
        var events = await node.EventsAsync("demo");
        var ended = events.OfType<RecordingAttemptEnded>().Last();
        Assert.Equal("Stopped", ended.Outcome);
        var last = events.OfType<SegmentRecorded>().Last();
        Assert.True((await new Ffprobe().ProbeAsync(last.Path, TimeSpan.FromSeconds(20))).HasVideo);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(node.Root, "recordings"), "*.pid", SearchOption.AllDirectories));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("""[ { id = a, url = ${source} }, { id = a, url = ${source} } ]""", "channels[1].id", "duplicate")]
    [InlineData("""[ { id = a, url = "not a url" } ]""", "channels[0].url", "url")]
    [InlineData("""[ { id = a, url = ${source}, resolver = magic } ]""", "channels[0].resolver", "unknown resolver")]
    [InlineData("""[ { id = "Bad Id", url = ${source} } ]""", "channels[0].id", "a-z0-9")]
    public async Task A_bad_configuration_must_stop_the_node_with_the_file_position_and_key(string channels, string key, string reason)
    {
        await using var node = new NodeWorkspace();
        node.WriteConfig(channels);
        var (exitCode, error) = await node.RunToExitAsync(Patience);
        output.WriteLine(error);
        Assert.Equal(1, exitCode);
        Assert.Contains("node.conf:", error);
        Assert.Contains(key, error);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("management.http.port")]
    [InlineData("cluster.port")]
    public async Task A_port_already_taken_must_stop_the_node_with_one_line_naming_the_key_and_the_address(string key)
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        await using var node = new NodeWorkspace();
        // A cluster node (its seed is itself); the ports are checked before its journal is opened.
        var cluster = "management.http.port = 0\n"
            + "persistence { journal = postgres, postgres.connection-string = \"Host=127.0.0.1;Port=1;Username=x;Database=x\" }\n"
            + $"cluster {{ seed-nodes = [\"127.0.0.1:{port}\"], hostname = 127.0.0.1, port = {port} }}";
        node.WriteConfig("[]", extra: key == "cluster.port" ? cluster : $"management.http.port = {port}");

        var (exitCode, error) = await node.RunToExitAsync(Patience);

        output.WriteLine(error);
        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Equal($"error: at 'actor-recorder.{key}': 127.0.0.1:{port} is already in use (another node on this machine?); set another port", line);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
    }

    [Fact(Timeout = 60_000)]
    public async Task A_data_dir_written_by_the_earlier_journal_must_be_refused_with_what_to_do_and_left_unchanged()
    {
        await using var node = new NodeWorkspace();
        node.WriteConfig("""[ { id = a, url = ${source} } ]""");
        Directory.CreateDirectory(Path.GetDirectoryName(node.JournalPath)!);
        await using (var connection = new SqliteConnection($"Data Source={node.JournalPath};Pooling=false"))
        {
            // The earlier built-in journal's schema, with one of its rows.
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE persistence_schema_version (version INTEGER NOT NULL);
                INSERT INTO persistence_schema_version (version) VALUES (1);
                CREATE TABLE journal (ordering INTEGER PRIMARY KEY AUTOINCREMENT, persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL,
                    created INTEGER NOT NULL, manifest TEXT NOT NULL, payload BLOB NOT NULL, tags TEXT NULL, writer TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
                INSERT INTO journal (persistence_id, sequence_nr, created, manifest, payload, writer) VALUES ('channel-a', 1, 0, 'channel.paused.v1', x'7B7D', 'w');
                """;
            await create.ExecuteNonQueryAsync();
        }
        var before = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(node.JournalPath)));

        var (exitCode, error) = await node.RunToExitAsync(Patience);

        output.WriteLine(error);
        Assert.Equal(1, exitCode);
        Assert.Contains(node.JournalPath, error);
        Assert.Contains("earlier built-in persistence", error);
        Assert.Contains("mv ", error);
        Assert.Equal(before, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(node.JournalPath))));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_second_node_on_the_same_journal_must_be_refused_while_the_first_runs()
    {
        await using var node = new NodeWorkspace();
        node.WriteConfig("""[ { id = a, url = ${source} } ]""");
        var log = new List<string>();
        var first = node.StartNode(log);
        await NodeWorkspace.Eventually(() => Task.FromResult(Snapshot(log).Contains("node started", StringComparison.Ordinal)), () => "the first node started", Patience);

        var (exitCode, error) = await node.RunToExitAsync(Patience);

        output.WriteLine(error);
        Assert.Equal(1, exitCode);
        Assert.Contains("another node is running", error);
        Assert.False(first.HasExited, "the first node goes on");
        await StopGracefully(first);
        Assert.Equal(0, first.ExitCode);
    }

    private static string Snapshot(List<string> log)
    {
        lock (log)
        {
            return string.Join('\n', log);
        }
    }

    private static async Task<TimeSpan> StopGracefully(Process process)
    {
        var started = Stopwatch.StartNew();
        Media.Processes.Signals.Send(process.Id, Media.Processes.Signals.SigTerm);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return started.Elapsed;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
