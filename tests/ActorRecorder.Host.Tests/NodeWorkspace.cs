using System.Diagnostics;
using System.Reflection;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.Support;
using ActorRecorder.Media.Synthetic;

namespace ActorRecorder.Host.Tests;

/// <summary>
/// A node's folder (config, data, recordings), a synthetic live source, the real <c>actorrecorder</c>
/// executable as a child process, and a reader of the node's SQLite journal.
/// </summary>
public sealed class NodeWorkspace : IAsyncDisposable
{
    private static readonly string CliPath = typeof(NodeWorkspace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliPath").Value!;

    private readonly List<Process> _processes = [];

    public NodeWorkspace(SyntheticSourceOptions? source = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "ar-node-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        Source = SyntheticLiveSource.Start(source ?? new SyntheticSourceOptions { Width = 320, Height = 180, VideoBitrate = 300_000 });
    }

    public string Root { get; }

    public SyntheticLiveSource Source { get; }

    public string ConfigPath => Path.Combine(Root, "node.conf");

    public string JournalPath => Path.Combine(Root, "data", "journal.db");

    /// <summary>When set, the node's journal is this PostgreSQL database instead of SQLite under data-dir.</summary>
    public string? Postgres { get; init; }

    /// <summary>Writes node.conf with the given channels block (the source's URL is available as <c>${source}</c>).</summary>
    public void WriteConfig(string channels, string grace = "20s", string extra = "") => File.WriteAllText(ConfigPath, $$"""
        source = "{{Source.PlaylistUrl}}"
        actor-recorder {
          node.data-dir = data
          recording { output-dir = recordings, poll-interval = 1s, segment-duration = 2s, grace-period = {{grace}}, stall-timeout = 6s, disk-check-interval = 2s }
          {{(Postgres is null ? "" : $"persistence {{ journal = postgres, postgres.connection-string = \"{Postgres}\" }}")}}
          channels = {{channels}}
          {{extra}}
        }
        """);

    /// <summary>Writes node.conf with channel "demo" delivering to a fake Bot API (short grace, no phantom cut).</summary>
    public void WriteTelegramConfig(string baseUrl, string token, string maxPartSize, string speedLimit, int albumSize = 1, string backupChat = "") =>
        WriteConfig("[ { id = demo, url = ${source} } ]", grace: "2s", extra: $$"""
            processing.min-segment-duration = 0.5s
            upload {
              targets = [telegram]
              telegram { api-base-url = "{{baseUrl}}", bot-token = "{{token}}", chat-id = "-1009", max-part-size = {{maxPartSize}}, speed-limit = {{speedLimit}}, album-size = {{albumSize}}, backup-chat-id = "{{backupChat}}" }
            }
            """);

    /// <summary>Runs the node until it exits by itself (a refused start) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan timeout)
    {
        var log = new List<string>();
        var process = StartNode(log);
        await process.WaitForExitAsync().WaitAsync(timeout);
        lock (log)
        {
            return (process.ExitCode, string.Join('\n', log));
        }
    }

    /// <summary>Starts <c>actorrecorder run --config node.conf</c>; its output is kept in <paramref name="log"/>.</summary>
    public Process StartNode(List<string> log)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { CliPath, "run", "--config", ConfigPath })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Add(log, e.Data);
        process.ErrorDataReceived += (_, e) => Add(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static void Add(List<string> log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.Add(line);
            }
        }
    }

    /// <summary>The channel's persisted events, read from the node's journal file (the node may be running).</summary>
    public Task<IReadOnlyList<IChannelEvent>> EventsAsync(string channelId) =>
        Postgres is null ? JournalReader.SqliteAsync(JournalPath, channelId) : JournalReader.PostgresAsync(Postgres, channelId);

    /// <summary>Polls the journal until <paramref name="condition"/> holds on the channel's events.</summary>
    public async Task<IReadOnlyList<IChannelEvent>> WaitForAsync(string channelId, Func<IReadOnlyList<IChannelEvent>, bool> condition,
        string what, TimeSpan? timeout = null)
    {
        IReadOnlyList<IChannelEvent> events = [];
        await Eventually(async () => condition(events = await EventsAsync(channelId)),
            () => $"{what}; events so far: {string.Join(", ", events.Select(e => e.GetType().Name))}", timeout ?? TimeSpan.FromSeconds(60));
        return events;
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds. Polling, not an event: what it reads is written by another
    /// process (the node's journal, the node's own config watcher), so there is nothing to wait on.
    /// </summary>
    public static async Task Eventually(Func<Task<bool>> condition, Func<string> what, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(started.Elapsed < timeout, $"timed out waiting for {what()}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        await Source.DisposeAsync();
        await Media.Processes.OrphanReaper.KillOrphansAsync(Path.Combine(Root, "recordings"), TimeSpan.FromSeconds(5));
        foreach (var session in Directory.Exists(Path.Combine(Root, "recordings"))
                     ? Directory.EnumerateDirectories(Path.Combine(Root, "recordings"), "*", SearchOption.AllDirectories)
                     : [])
        {
            await Media.Processes.OrphanReaper.KillOrphansAsync(session, TimeSpan.FromSeconds(5));
        }
        Directory.Delete(Root, recursive: true);
    }
}
