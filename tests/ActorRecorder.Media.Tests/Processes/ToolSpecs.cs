using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Processes;

public sealed class ToolSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30_000)]
    public async Task Tool_must_pass_arguments_verbatim_without_a_shell()
    {
        var hostile = "title; rm -rf / $(reboot) `id` 'quoted' \"double\"";
        var output = await Tool.RunAsync("/bin/echo", [hostile], Patience);
        Assert.Equal(hostile + "\n", output);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_non_zero_exit_must_carry_the_command_line_exit_code_and_stderr_tail()
    {
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() =>
            Tool.RunAsync("/bin/sh", ["-c", "echo first >&2; echo 'it broke' >&2; exit 3"], Patience));
        Assert.Equal(3, ex.ExitCode);
        Assert.Equal(["first", "it broke"], ex.StderrTail);
        Assert.Equal("/bin/sh -c 'echo first >&2; echo '\\''it broke'\\'' >&2; exit 3'", ex.CommandLine);
        Assert.Contains("exit code 3", ex.Message);
        Assert.Contains(ex.CommandLine, ex.Message);
        Assert.Contains("it broke", ex.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_background_child_and_every_thread_it_starts_must_run_niced_below_the_node()
    {
        // Field 19 of /proc/<pid>/stat is the niceness: of the child itself, and of a grandchild it starts (as x264 starts threads).
        var own = int.Parse((await Tool.RunAsync("/bin/sh", ["-c", "cut -d' ' -f19 /proc/self/stat"], Patience)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var output = await Tool.RunInBackgroundAsync("/bin/sh", ["-c", "cut -d' ' -f19 /proc/$$/stat; cut -d' ' -f19 /proc/self/stat"], Patience);

        var niceness = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var expected = Math.Min(19, own + Tool.BackgroundNiceness); // 19 is the lowest priority there is
        Assert.Equal([expected, expected], niceness);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_background_child_that_fails_must_carry_its_own_command_line_and_exit_code()
    {
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() =>
            Tool.RunInBackgroundAsync("/bin/sh", ["-c", "echo 'encode broke' >&2; exit 4"], Patience));
        Assert.Equal(4, ex.ExitCode);
        Assert.Contains("encode broke", ex.Message);
        Assert.Contains("/bin/sh -c", ex.CommandLine);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_executable_must_fail_with_the_command_line_and_no_exit_code()
    {
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() => Tool.RunAsync("/nonexistent/ffprobe", ["-i", "x"], Patience));
        Assert.Null(ex.ExitCode);
        Assert.Contains("could not start", ex.Reason);
        Assert.Contains("/nonexistent/ffprobe -i x", ex.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_that_exceeds_its_timeout_must_be_killed_and_say_so()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"ar-tool-{Guid.NewGuid():N}.pid");
        var ex = await Assert.ThrowsAsync<ProcessFailedException>(() =>
            Tool.RunAsync("/bin/sh", ["-c", $"echo $$ > {pidFile}; echo waiting >&2; exec sleep 60"], TimeSpan.FromMilliseconds(500)));
        Assert.Null(ex.ExitCode);
        Assert.Equal("timed out after 0.5 s", ex.Reason);
        Assert.Contains("exec sleep 60", ex.Message);
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile));
        File.Delete(pidFile);
        Assert.False(Directory.Exists($"/proc/{pid}"), "the timed-out process is gone once RunAsync has thrown");
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancelling_through_the_token_must_kill_the_process_and_throw_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Tool.RunAsync("/bin/sleep", ["60"], Patience, cancellation.Token));
        Assert.True(started.Elapsed < Patience, "cancellation ended the run, not the timeout");
    }
}
