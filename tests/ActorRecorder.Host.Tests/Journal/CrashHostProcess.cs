using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ActorRecorder.Host.Tests.Journal;

/// <summary>
/// One run of the crash host (tests/ActorRecorder.Host.CrashHost) as a child process: its
/// stdout lines are read one by one, and <see cref="Kill"/> sends SIGKILL (Process.Kill on Linux).
/// </summary>
public sealed class CrashHostProcess : IDisposable
{
    private static readonly string HostPath = typeof(CrashHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashHostPath").Value!;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private CrashHostProcess(Process process) => _process = process;

    public static CrashHostProcess Start(IEnumerable<string> arguments)
    {
        if (!File.Exists(HostPath))
        {
            throw new FileNotFoundException($"The crash host is not built at {HostPath}; build the solution first", HostPath);
        }
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("the crash host did not start");
        var host = new CrashHostProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (host._stderr)
                {
                    host._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return host;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The next stdout line, or null at end of output; fails after <paramref name="timeout"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _process.StandardOutput.ReadLineAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The crash host wrote nothing for {timeout.TotalSeconds:0} s; stderr: {Stderr}");
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush or commit anything.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // it has already exited; the caller will see why from its output
        }
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
