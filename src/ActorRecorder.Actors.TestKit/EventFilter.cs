using ActorRecorder.Actors.Event;
using ActorRecorder.Actors.Internal;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.TestKit;

/// <summary>Builds expectations on what the system logs or drops while a block of test code runs.</summary>
public sealed class EventFilterFactory(TestKitBase kit)
{
    /// <summary>A logged exception of type <typeparamref name="T"/> (whose message contains <paramref name="contains"/>).</summary>
    public EventFilter Exception<T>(string? contains = null, int occurrences = 1) where T : Exception =>
        new(kit, e => e is LogEvent { Cause: T cause } && Contains(cause.Message, contains),
            $"exception {typeof(T).Name}{Quote(contains)}", occurrences);

    public EventFilter Error(string? contains = null, int occurrences = 1) => Level(LogLevel.Error, contains, occurrences);

    public EventFilter Warning(string? contains = null, int occurrences = 1) => Level(LogLevel.Warning, contains, occurrences);

    public EventFilter Info(string? contains = null, int occurrences = 1) => Level(LogLevel.Information, contains, occurrences);

    public EventFilter Debug(string? contains = null, int occurrences = 1) => Level(LogLevel.Debug, contains, occurrences);

    /// <summary>A dead letter whose message is a <typeparamref name="T"/>.</summary>
    public EventFilter DeadLetter<T>(int occurrences = 1) =>
        new(kit, e => e is DeadLetter { Message: T }, $"dead letter of {typeof(T).Name}", occurrences);

    public EventFilter Custom(Predicate<object> match, string description, int occurrences = 1) =>
        new(kit, match, description, occurrences);

    private EventFilter Level(LogLevel level, string? contains, int occurrences) =>
        new(kit, e => e is LogEvent l && l.Level == level && Contains(l.Message, contains),
            $"{level} log{Quote(contains)}", occurrences);

    private static bool Contains(string text, string? part) => part is null || text.Contains(part, StringComparison.Ordinal);

    private static string Quote(string? part) => part is null ? "" : $" containing \"{part}\"";
}

/// <summary>
/// Expects exactly <c>occurrences</c> matching events (log entries or dead letters) while the block
/// runs or shortly after (within the timeout); fewer or more fails the test.
/// </summary>
public sealed class EventFilter
{
    private readonly TestKitBase _kit;
    private readonly Predicate<object> _match;
    private readonly string _description;
    private readonly int _occurrences;

    internal EventFilter(TestKitBase kit, Predicate<object> match, string description, int occurrences)
    {
        _kit = kit;
        _match = match;
        _description = description;
        _occurrences = occurrences;
    }

    public async Task<T> ExpectAsync<T>(Func<Task<T>> block, TimeSpan? timeout = null)
    {
        var matched = 0;
        var listener = FunctionRef.Create(_kit.Sys, "event-filter", (message, _) =>
        {
            if (_match(message))
            {
                Interlocked.Increment(ref matched);
            }
        });
        _kit.Sys.EventStream.Subscribe(listener, typeof(LogEvent));
        _kit.Sys.EventStream.Subscribe(listener, typeof(DeadLetter));
        try
        {
            var result = await block().ConfigureAwait(false);
            await _kit.AwaitConditionAsync(() => Volatile.Read(ref matched) >= _occurrences, timeout,
                message: $"{_occurrences} × {_description} (seen {Volatile.Read(ref matched)})").ConfigureAwait(false);
            if (Volatile.Read(ref matched) > _occurrences)
            {
                throw new TestKitAssertionException($"Expected {_occurrences} × {_description} but saw {matched}");
            }
            return result;
        }
        finally
        {
            _kit.Sys.EventStream.Unsubscribe(listener);
            listener.Stop();
        }
    }

    public Task ExpectAsync(Func<Task> block, TimeSpan? timeout = null) =>
        ExpectAsync(async () =>
        {
            await block().ConfigureAwait(false);
            return 0;
        }, timeout);

    public void Expect(Action block, TimeSpan? timeout = null) =>
        ExpectAsync(() =>
        {
            block();
            return Task.FromResult(0);
        }, timeout).GetAwaiter().GetResult();
}
