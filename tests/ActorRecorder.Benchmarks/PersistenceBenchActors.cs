using ActorRecorder.Persistence;
using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Benchmarks;

/// <summary>The event, snapshot and commands the persistence benchmark uses.</summary>
internal sealed record BenchEvent(long Value, string Text)
{
    public static BenchEvent For(long value) => new(value, "recorded segment part");

    public static EventSerializer Serializer() => new EventSerializer()
        .Register<BenchEvent>("bench-event")
        .Register<BenchState>("bench-state");
}

internal sealed record BenchState(long Count, long Sum);

internal sealed record PersistCommand(long Value);

internal sealed record PersistAsyncCommand(long Value);

/// <summary>
/// Persists one event per command (Persist or PersistAsync) and completes <c>done</c> once the
/// handler of the <c>expected</c>-th event ran; counts replayed events and completes <c>recovered</c>.
/// </summary>
internal sealed class BenchActor : ReceivePersistentActor
{
    private long _count;
    private long _sum;

    public BenchActor(string persistenceId, long expected, TaskCompletionSource? done, Action<long>? recovered)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(offer =>
        {
            var state = (BenchState)offer.Snapshot;
            (_count, _sum) = (state.Count, state.Sum);
        });
        Recover<BenchEvent>(Apply);
        Recover<RecoveryCompleted>(_ => recovered?.Invoke(_count));
        Command<PersistCommand>(c => Persist(BenchEvent.For(c.Value), e =>
        {
            Apply(e);
            if (_count == expected)
            {
                done?.TrySetResult();
            }
        }));
        Command<PersistAsyncCommand>(c => PersistAsync(BenchEvent.For(c.Value), e =>
        {
            Apply(e);
            if (_count == expected)
            {
                done?.TrySetResult();
            }
        }));
        Command<BenchState>(_ => SaveSnapshot(new BenchState(_count, _sum)));
        Command<SaveSnapshotSuccess>(_ => done?.TrySetResult());
    }

    public override string PersistenceId { get; }

    private void Apply(BenchEvent e)
    {
        _count++;
        _sum += e.Value;
    }
}
