namespace ActorRecorder.Host;

/// <summary>
/// Notices changes to a configuration file by polling its size and modification time (robust against
/// editors that save by writing a new file and renaming it, which file-system events often miss).
/// A change is reported once the file has stayed the same for one more poll.
/// </summary>
public sealed class ConfigWatcher : IDisposable
{
    private readonly string _path;
    private readonly Func<Task> _onChange;
    private readonly ITimer _timer;
    private (long Size, DateTime Modified)? _seen;
    private (long Size, DateTime Modified)? _candidate;
    private int _busy;

    public ConfigWatcher(string path, TimeSpan interval, Func<Task> onChange, TimeProvider? time = null)
    {
        _path = path;
        _onChange = onChange;
        _seen = Stamp();
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => _ = PollAsync(), null, interval, interval);
    }

    private (long, DateTime)? Stamp()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    private async Task PollAsync()
    {
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            return;
        }
        try
        {
            var now = Stamp();
            if (now == _seen)
            {
                _candidate = null;
                return;
            }
            if (now != _candidate)
            {
                _candidate = now; // still being written: wait one more poll
                return;
            }
            _seen = now;
            _candidate = null;
            await _onChange().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
