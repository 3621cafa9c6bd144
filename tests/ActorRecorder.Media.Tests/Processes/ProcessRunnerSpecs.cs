using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Processes;

public sealed class ProcessRunnerSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30_000)]
    public async Task Runner_must_pass_arguments_verbatim_without_a_shell()
    {
        var hostile = "title; rm -rf / $(reboot) `id` 'quoted' \"double\"";
        var output = await ProcessRunner.RunForOutputAsync(new ProcessSpec("/bin/echo", [hostile]), Patience);
        Assert.Equal(hostile, output.TrimEnd('\n'));
    }

    [Fact(Timeout = 30_000)]
    public async Task Runner_must_deliver_output_lines_in_order_and_report_the_exit_code()
    {
        var lines = new List<string>();
        await using var process = ProcessRunner.Start(new ProcessSpec("/bin/sh", ["-c", "for i in 1 2 3; do echo line$i; done; exit 7"]),
            line => lines.Add(line));
        var result = await process.Completion.WaitAsync(Patience);
        Assert.Equal(7, result.ExitCode);
        Assert.Equal(StopReason.Exited, result.StopReason);
        Assert.Equal(["line1", "line2", "line3"], lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failure_must_carry_the_command_line_exit_code_and_stderr_tail()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "echo first >&2; echo 'it broke' >&2; exit 3"]);
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() => ProcessRunner.RunForOutputAsync(spec, Patience));
        Assert.Equal(3, ex.ExitCode);
        Assert.Equal(["first", "it broke"], ex.StderrTail);
        Assert.Contains("/bin/sh -c", ex.CommandLine);
        Assert.Contains("it broke", ex.Message);
        Assert.Contains("exit code 3", ex.Message);
    }

    [Fact]
    public void A_missing_executable_must_fail_with_the_command_line()
    {
        var ex = Assert.Throws<ProcessFailedException>(() => ProcessRunner.Start(new ProcessSpec("/nonexistent/ffmpeg", ["-i", "x"])));
        Assert.Null(ex.ExitCode);
        Assert.Contains("/nonexistent/ffmpeg -i x", ex.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_must_ask_ffmpeg_to_quit_with_q_and_leave_a_playable_file()
    {
        var output = Path.Combine(media.Directory, "quit.ts");
        await using var ffmpeg = ProcessRunner.Start(new ProcessSpec("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", "-y", output,
        ]));
        await WaitForGrowth(output);
        var result = await ffmpeg.StopAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).WaitAsync(Patience);
        Assert.Equal(StopReason.Quit, result.StopReason);
        Assert.Equal(0, result.ExitCode);
        var probe = await new ActorRecorder.Media.Probing.Ffprobe().ProbeAsync(output, Patience);
        Assert.True(probe.HasVideo);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_must_send_SIGINT_when_q_is_ignored()
    {
        await using var sleeper = ProcessRunner.Start(new ProcessSpec("/bin/sleep", ["60"]));
        var result = await sleeper.StopAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)).WaitAsync(Patience);
        Assert.Equal(StopReason.Interrupted, result.StopReason);
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_must_kill_a_process_that_ignores_q_and_SIGINT()
    {
        await using var stubborn = ProcessRunner.Start(new ProcessSpec("/bin/sh", ["-c", "trap '' INT; sleep 60"]));
        var result = await stubborn.StopAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)).WaitAsync(Patience);
        Assert.Equal(StopReason.Killed, result.StopReason);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_that_exceeds_its_timeout_must_be_killed_and_reported()
    {
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() =>
            ProcessRunner.RunForOutputAsync(new ProcessSpec("/bin/sleep", ["60"]), TimeSpan.FromMilliseconds(300)));
        Assert.Contains("timed out", ex.Message);
    }

    /// <summary>Polls the file ffmpeg writes (an external process: there is no event to wait on).</summary>
    private static async Task WaitForGrowth(string path)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path) || new FileInfo(path).Length < 10_000)
        {
            Assert.True(started.Elapsed < Patience, "ffmpeg wrote nothing in time");
            await Task.Delay(50);
        }
    }
}
