namespace ActorRecorder.Actors.TestKit.Persistence;

/// <summary>
/// Holds the operations of a test store (writes, recoveries, loads) until <see cref="Release"/>:
/// a phase barrier for tests that need an operation to be in flight, without sleeping.
/// </summary>
public sealed class TestGate : IDisposable
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    /// <summary>How many operations are held right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Release() => _released.TrySetResult();

    public void Dispose() => Release();

    internal async Task PassAsync()
    {
        if (_released.Task.IsCompleted)
        {
            return;
        }
        Interlocked.Increment(ref _waiting);
        try
        {
            await _released.Task.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
