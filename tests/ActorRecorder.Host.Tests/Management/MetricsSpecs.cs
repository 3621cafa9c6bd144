using System.Diagnostics;
using System.Text.Json;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.InProcess;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Management;

/// <summary>/metrics: the recorder's instruments in Prometheus' format, checked by promtool and scraped by a real Prometheus server.</summary>
public sealed class MetricsSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task Metrics_must_count_what_the_node_recorded_and_pass_promtool()
    {
        await StartNodeAsync(grace: "2s");
        using var api = ManagementClient.For(Node);
        var started = await RecordABroadcast();
        await Next<SessionEnded>(e => e.SessionId == started.SessionId);
        var journal = await JournalAsync();
        var text = await api.Http.GetStringAsync("/metrics");
        var segments = journal.OfType<SegmentRecorded>().ToList();
        Assert.Contains($"actorrecorder_recorded_segments {segments.Count}", text);
        Assert.Contains($"actorrecorder_recorded_bytes {segments.Sum(s => s.Bytes)}", text);
        Assert.Contains("actorrecorder_sessions_started 1", text);
        Assert.Contains("actorrecorder_channels{state=\"offline\"} 1", text);
        Assert.Contains("actorrecorder_recordings_active 0", text);
        Assert.Contains("actorrecorder_journal_write_seconds_bucket{le=", text);
        Assert.Contains("actorrecorder_gate_limit{platform=", text);
        Assert.Contains("process_cpu_seconds_total", text);
        Assert.Contains("dotnet_collection_count_total", text);

        var (exit, report) = await Run(Tool("promtool"), ["check", "metrics"], text);
        Assert.True(exit == 0, "promtool check metrics: " + report);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_real_Prometheus_server_running_as_its_own_user_must_scrape_the_node_with_its_token_file()
    {
        // The README's set-up: the token in a file of the operator's, group-readable by Prometheus' group, named by
        // management.http.token-file; Prometheus runs as its own user (as Debian's package runs it) when the spec can.
        var dir = Path.Combine(Root, "prometheus");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        var tokenFile = Path.Combine(dir, "token");
        await File.WriteAllTextAsync(tokenFile, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var asItsOwnUser = Environment.UserName == "root" && File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith("prometheus:", StringComparison.Ordinal));
        if (asItsOwnUser)
        {
            Assert.Equal(0, (await Run("chgrp", ["prometheus", tokenFile], "")).Exit);
            Assert.Equal(0, (await Run("chown", ["-R", "prometheus:", Path.Combine(dir, "data")], "")).Exit);
        }
        await StartNodeAsync(extra: $"management.http.token-file = \"{tokenFile}\"");
        using var api = ManagementClient.For(Node);
        Assert.Equal((await File.ReadAllTextAsync(tokenFile)).Trim(), api.Token);
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: actorrecorder
                authorization:
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["{api.Address.Authority}"]
            """);
        var port = ClusterLab.LocalCluster.FreePort();
        string[] server = [Tool("prometheus"), $"--config.file={dir}/prometheus.yml", $"--storage.tsdb.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}"];
        var start = asItsOwnUser
            ? new ProcessStartInfo("setpriv", ["--reuid=prometheus", "--regid=prometheus", "--init-groups", .. server])
            : new ProcessStartInfo(server[0], server[1..]);
        start.RedirectStandardError = start.RedirectStandardOutput = true;
        using var prometheus = Process.Start(start)!;
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            string health = "", lastError = "";
            await NodeWorkspace.Eventually(async () =>
            {
                try
                {
                    using var targets = JsonDocument.Parse(await http.GetStringAsync("/api/v1/targets"));
                    var target = targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().SingleOrDefault();
                    health = target.ValueKind == JsonValueKind.Undefined ? "" : target.GetProperty("health").GetString()!;
                    lastError = target.ValueKind == JsonValueKind.Undefined ? "" : target.GetProperty("lastError").GetString()!;
                    return health == "up";
                }
                catch (HttpRequestException)
                {
                    return false; // still starting
                }
            }, () => $"Prometheus to report the node's target up (health '{health}', last error '{lastError}')", TimeSpan.FromSeconds(60));
            using var query = JsonDocument.Parse(await http.GetStringAsync("/api/v1/query?query=actorrecorder_channels"));
            var series = query.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList();
            Assert.Contains(series, s => s.GetProperty("metric").GetProperty("state").GetString() == "offline" && s.GetProperty("value")[1].GetString() == "1");
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
        }
    }

    /// <summary>A tool the tests need: on PATH (./build.sh test installs Debian's prometheus package, which brings promtool).</summary>
    private static string Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new Xunit.Sdk.XunitException($"{name} is not on PATH: ./build.sh test installs it (Debian package prometheus)");

    private static async Task<(int Exit, string Output)> Run(string tool, string[] arguments, string input)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
