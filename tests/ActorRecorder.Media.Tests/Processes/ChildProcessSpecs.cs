using System.Collections.Concurrent;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests.Processes;

public sealed class ChildProcessSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30_000)]
    public async Task Output_and_error_lines_must_arrive_in_order_and_the_exit_code_be_reported()
    {
        var stdout = new ConcurrentQueue<string>();
        var stderr = new ConcurrentQueue<string>();
        await using var child = ChildProcess.Start("/bin/sh", ["-c", "for i in 1 2 3; do echo out$i; echo err$i >&2; done; exit 7"],
            stdout.Enqueue, stderr.Enqueue);
        var result = await child.Completion.WaitAsync(Patience);
        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(StopReason.Exited, result.StopReason);
        Assert.Equal(["out1", "out2", "out3"], stdout);
        Assert.Equal(["err1", "err2", "err3"], stderr);
        Assert.Equal(["err1", "err2", "err3"], result.StderrTail);
        Assert.True(child.HasExited);
        Assert.True(child.Pid > 0);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_stderr_tail_must_keep_only_the_last_lines()
    {
        await using var child = ChildProcess.Start("/bin/sh", ["-c", "for i in $(seq 1 100); do echo line$i >&2; done"], stderrTailLines: 3);
        var result = await child.Completion.WaitAsync(Patience);
        Assert.Equal(["line98", "line99", "line100"], result.StderrTail);
        Assert.Equal(result.StderrTail, child.StderrTail);
    }

    [Fact]
    public void A_missing_executable_must_fail_to_start_with_the_command_line()
    {
        var ex = Assert.Throws<ProcessFailedException>(() => ChildProcess.Start("/nonexistent/ffmpeg", ["-i", "a file"]));
        Assert.Null(ex.ExitCode);
        Assert.Equal("/nonexistent/ffmpeg -i 'a file'", ex.CommandLine);
        Assert.Contains("could not start '/nonexistent/ffmpeg'", ex.Message);
        Assert.Contains("/nonexistent/ffmpeg -i 'a file'", ex.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_must_ask_ffmpeg_to_quit_with_q_and_leave_a_playable_file()
    {
        var output = Path.Combine(media.Directory, "quit.ts");
        var progressed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var ffmpeg = ChildProcess.Start("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-progress", "pipe:1", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
            "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", "-y", output,
        ], line =>
        {
            if (line.StartsWith("out_time_us=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(12), out var us) && us >= 1_000_000)
            {
                progressed.TrySetResult();
            }
        });
        await progressed.Task.WaitAsync(Patience);

        var result = await ffmpeg.StopAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)).WaitAsync(Patience);

        Assert.Equal(StopReason.Quit, result.StopReason);
        Assert.Equal(0, result.ExitCode);
        var probe = await new Ffprobe().ProbeAsync(output, Patience);
        Assert.True(probe.HasVideo);
        Assert.True(probe.Duration >= TimeSpan.FromSeconds(1), $"the file holds what was recorded ({probe.Duration})");
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_must_send_SIGINT_when_q_is_ignored()
    {
        // cat ignores 'q' (it copies it to its output) and would end at the end of its input: stdin must stay open.
        var stdout = new ConcurrentQueue<string>();
        await using var cat = ChildProcess.Start("/bin/cat", [], stdout.Enqueue);

        var result = await cat.StopAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10)).WaitAsync(Patience);

        Assert.Equal(StopReason.Interrupted, result.StopReason);
        Assert.Null(result.ExitCode);
        Assert.Equal(["q"], stdout);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_must_kill_a_process_and_its_children_when_they_ignore_q_and_SIGINT()
    {
        var grandchild = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stubborn = ChildProcess.Start("/bin/sh", ["-c", "trap '' INT; sleep 60 & echo $!; wait"],
            line => grandchild.TrySetResult(int.Parse(line)));
        var sleeper = await grandchild.Task.WaitAsync(Patience);

        var result = await stubborn.StopAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)).WaitAsync(Patience);

        Assert.Equal(StopReason.Killed, result.StopReason);
        Assert.Null(result.ExitCode);
        await AssertGone(sleeper);
    }

    [Fact(Timeout = 30_000)]
    public async Task Kill_must_end_the_process_at_once()
    {
        await using var sleeper = ChildProcess.Start("/bin/sleep", ["60"]);
        sleeper.Kill();
        var result = await sleeper.Completion.WaitAsync(Patience);
        Assert.Equal(StopReason.Killed, result.StopReason);
        Assert.Null(result.ExitCode);
        Assert.True(result.RunTime < Patience);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_and_kill_after_the_process_exited_must_change_nothing()
    {
        await using var child = ChildProcess.Start("/bin/sh", ["-c", "exit 3"]);
        var exited = await child.Completion.WaitAsync(Patience);
        child.Kill();
        var stopped = await child.StopAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).WaitAsync(Patience);
        Assert.Same(exited, stopped);
        Assert.Equal(StopReason.Exited, stopped.StopReason);
        Assert.Equal(3, stopped.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_callback_that_throws_must_not_fault_the_completion()
    {
        await using var child = ChildProcess.Start("/bin/sh", ["-c", "echo one; echo two"], _ => throw new InvalidOperationException("bug in a callback"));
        var result = await child.Completion.WaitAsync(Patience);
        Assert.Equal("bug in a callback", Assert.IsType<InvalidOperationException>(result.Fault).Message);
        Assert.Null(result.ExitCode);
    }

    /// <summary>
    /// A killed grandchild is reparented and reaped by init: poll /proc (the kernel's view, no event to await)
    /// until it is gone or a zombie.
    /// </summary>
    private static async Task AssertGone(int pid)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (File.Exists($"/proc/{pid}/stat") && !IsZombie(pid))
        {
            Assert.True(started.Elapsed < Patience, $"process {pid} still runs");
            await Task.Delay(20);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
