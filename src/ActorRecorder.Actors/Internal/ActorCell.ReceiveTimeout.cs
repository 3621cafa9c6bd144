namespace ActorRecorder.Actors.Internal;

/// <summary>The receive timeout: re-armed by every message that influences it, repeating while idle.</summary>
internal sealed partial class ActorCell
{
    public TimeSpan? ReceiveTimeout => _extras?.ReceiveTimeout?.Timeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is null || timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            _extras?.ReceiveTimeout?.Dispose();
            if (_extras is not null)
            {
                _extras.ReceiveTimeout = null;
            }
            return;
        }
        var state = Extras.ReceiveTimeout ??= new ReceiveTimeoutState(this);
        state.Timeout = timeout.Value;
        state.Reset();
    }
}

internal sealed class ReceiveTimeoutState(ActorCell cell) : IDisposable
{
    private ITimer? _timer;

    public TimeSpan Timeout { get; set; }

    /// <summary>Bumped on every re-arm, so a tick already queued for an older arming is ignored.</summary>
    public int Generation { get; private set; }

    public void Reset()
    {
        Generation++;
        var generation = Generation;
        _timer?.Dispose();
        _timer = cell.System.Time.CreateTimer(
            static state =>
            {
                var (owner, gen) = ((ActorCell, int))state!;
                owner.SendMessage(new ReceiveTimeoutTick(gen), null);
            },
            (cell, generation), Timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        Generation++;
        _timer?.Dispose();
        _timer = null;
    }
}
