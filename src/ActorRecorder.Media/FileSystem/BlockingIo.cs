namespace ActorRecorder.Media.FileSystem;

/// <summary>
/// Runs calls that may block for as long as the kernel likes (any call on a hung NFS mount, a read from a FIFO nobody
/// writes) on threads of their own, never on the .NET thread pool, which Akka's dispatchers, Kestrel, heartbeats and
/// lease renewals share. A hung mount then holds one of these threads per call waiting on it, and nothing else.
/// </summary>
/// <remarks>
/// Threads are started when every one is busy and leave after <see cref="IdleTimeout"/> without work, so the pool is as
/// large as the calls blocked at once plus the ones running. Callers keep at most one call in flight per purpose (one
/// disk measurement per channel, one watch tick per recording), which bounds it. Results are completed asynchronously:
/// continuations never run on these threads.
/// </remarks>
public static class BlockingIo
{
    /// <summary>How long an idle thread waits for work before it ends.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private static readonly object Gate = new();
    private static readonly Queue<Action> Work = new();
    private static int _idle;
    private static int _threads;

    /// <summary>Threads currently in the pool (for metrics and specs).</summary>
    public static int Threads => Volatile.Read(ref _threads);

    /// <summary>Runs <paramref name="call"/> on a blocking-I/O thread; its exception faults the task.</summary>
    public static Task<T> Run<T>(Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            try
            {
                done.TrySetResult(call());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        return done.Task;
    }

    /// <inheritdoc cref="Run{T}(Func{T})"/>
    public static Task Run(Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Run(() =>
        {
            call();
            return true;
        });
    }

    private static void Enqueue(Action work)
    {
        lock (Gate)
        {
            Work.Enqueue(work);
            // Every idle thread takes one item when it wakes (pulsed, or timed out with work waiting): start another only
            // when there are more items than idle threads.
            if (Work.Count <= _idle)
            {
                Monitor.Pulse(Gate);
                return;
            }
            _threads++;
        }
        new Thread(Loop) { IsBackground = true, Name = "blocking-io" }.Start();
    }

    private static void Loop()
    {
        while (true)
        {
            Action work;
            lock (Gate)
            {
                while (Work.Count == 0)
                {
                    _idle++;
                    var woken = Monitor.Wait(Gate, IdleTimeout);
                    _idle--;
                    if (!woken && Work.Count == 0)
                    {
                        _threads--;
                        return;
                    }
                }
                work = Work.Dequeue();
            }
            work();
        }
    }
}
