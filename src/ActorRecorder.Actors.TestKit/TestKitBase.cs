using System.Collections.Concurrent;
using System.Diagnostics;
using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors.TestKit;

/// <summary>
/// The expectations shared by <see cref="TestKit"/> (on its <see cref="TestActor"/>) and every
/// <see cref="TestProbe"/>: messages sent to <see cref="TestActor"/> queue up and the Expect methods
/// take them in order. Timeouts are real time; the default is 3 s (Akka's single-expect default),
/// or what is left of an enclosing <see cref="WithinAsync(TimeSpan, Func{Task})"/> block.
/// Every method has an async form and a blocking one.
/// </summary>
public abstract partial class TestKitBase
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentQueue<(object Message, IActorRef? Sender)> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly FunctionRef _testActor;
    private long? _deadline;

    protected TestKitBase(ActorSystem system, string name)
    {
        Sys = system;
        _testActor = FunctionRef.Create(system, name, (message, sender) =>
        {
            _queue.Enqueue((message, sender));
            _available.Release();
        });
    }

    public ActorSystem Sys { get; }

    /// <summary>The reference whose messages the Expect methods read.</summary>
    public IActorRef TestActor => _testActor;

    /// <summary>The sender of the last message taken.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>Time left in the innermost Within block, or the default timeout outside one.</summary>
    public TimeSpan RemainingOrDefault => _deadline is { } end
        ? TimeSpan.FromTicks(Math.Max(0, (end - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency))
        : DefaultTimeout;

    private TimeSpan Resolve(TimeSpan? timeout) => timeout ?? RemainingOrDefault;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with <see cref="TestActor"/> as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, TestActor);

    /// <summary>Answers the sender of the last message taken.</summary>
    public void Reply(object message) => LastSender.Tell(message, TestActor);

    /// <summary>Forwards the last message taken to <paramref name="target"/>, keeping its sender.</summary>
    public void Forward(IActorRef target, object message) => target.Tell(message, LastSender);

    /// <summary><see cref="TestActor"/> watches <paramref name="actor"/>: its death arrives as <see cref="Terminated"/>.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        _testActor.Watch(actor);
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        _testActor.Unwatch(actor);
        return actor;
    }

    /// <summary>Takes the next message, or null when none arrives in time.</summary>
    public async Task<object?> ReceiveOneAsync(TimeSpan? timeout = null)
    {
        var wait = Resolve(timeout);
        if (!await _available.WaitAsync(wait).ConfigureAwait(false))
        {
            return null;
        }
        _queue.TryDequeue(out var item);
        LastSender = item.Sender ?? Sys.DeadLetters;
        return item.Message;
    }

    public async Task<T> ExpectMsgAsync<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null, string? hint = null)
    {
        var wait = Resolve(timeout);
        var message = await ReceiveOneAsync(wait).ConfigureAwait(false)
            ?? throw new TestKitAssertionException(
                $"Timeout ({wait.TotalSeconds:0.00} s) while expecting a message of type {typeof(T).Name}{Hint(hint)}");
        if (message is not T typed)
        {
            throw new TestKitAssertionException(
                $"Expected a message of type {typeof(T).Name}{Hint(hint)} but got {message.GetType().Name}: {message}");
        }
        if (predicate is not null && !predicate(typed))
        {
            throw new TestKitAssertionException($"The message {typed} did not match the predicate{Hint(hint)}");
        }
        return typed;
    }

    /// <summary>Expects a message equal to <paramref name="expected"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) where T : notnull
    {
        var message = await ExpectMsgAsync<T>(null, timeout, $"equal to {expected}").ConfigureAwait(false);
        return Equals(message, expected)
            ? message
            : throw new TestKitAssertionException($"Expected {expected} but got {message}");
    }

    /// <summary>Fails if any message arrives within <paramref name="duration"/>.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan? duration = null)
    {
        var message = await ReceiveOneAsync(Resolve(duration)).ConfigureAwait(false);
        if (message is not null)
        {
            throw new TestKitAssertionException($"Expected no message but got {message.GetType().Name}: {message}");
        }
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="actor"/> (watch it first).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => t.ActorRef.Equals(actor), timeout, $"Terminated of {actor.Path}");

    /// <summary>Skips messages until one satisfies <paramref name="isTarget"/>, and returns it.</summary>
    public async Task<object> FishForMessageAsync(Predicate<object> isTarget, TimeSpan? timeout = null, string? hint = null)
    {
        var end = Stopwatch.GetTimestamp() + (long)(Resolve(timeout).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            var message = await ReceiveOneAsync(left).ConfigureAwait(false)
                ?? throw new TestKitAssertionException($"Timeout while fishing for a message{Hint(hint)}");
            if (isTarget(message))
            {
                return message;
            }
        }
    }

    /// <summary>Takes exactly <paramref name="count"/> messages within the timeout (all of them together).</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var end = Stopwatch.GetTimestamp() + (long)(Resolve(timeout).TotalSeconds * Stopwatch.Frequency);
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            var message = await ReceiveOneAsync(left).ConfigureAwait(false)
                ?? throw new TestKitAssertionException($"Timeout: received {messages.Count} of {count} messages");
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>Runs <paramref name="block"/>, whose expectations share the deadline <paramref name="max"/>; it must end in [min, max].</summary>
    public async Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> block)
    {
        var start = Stopwatch.GetTimestamp();
        var outer = _deadline;
        var end = start + (long)(max.TotalSeconds * Stopwatch.Frequency);
        _deadline = outer is { } o && o < end ? o : end;
        try
        {
            await block().ConfigureAwait(false);
        }
        finally
        {
            _deadline = outer;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (elapsed < min)
        {
            throw new TestKitAssertionException($"Within block ended after {elapsed.TotalMilliseconds:0} ms, before the minimum {min.TotalMilliseconds:0} ms");
        }
        if (elapsed > max + TimeSpan.FromMilliseconds(100))
        {
            throw new TestKitAssertionException($"Within block took {elapsed.TotalMilliseconds:0} ms, over the maximum {max.TotalMilliseconds:0} ms");
        }
    }

    public Task WithinAsync(TimeSpan max, Func<Task> block) => WithinAsync(TimeSpan.Zero, max, block);

    /// <summary>Retries <paramref name="assertion"/> until it passes or <paramref name="duration"/> is up (then its last failure is thrown).</summary>
    public async Task AwaitAssertAsync(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var end = Stopwatch.GetTimestamp() + (long)(Resolve(duration).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (Stopwatch.GetTimestamp() < end)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="message"/> when it does not in time.</summary>
    public async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? duration = null, TimeSpan? interval = null, string? message = null)
    {
        var wait = Resolve(duration);
        var end = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() >= end)
            {
                throw new TestKitAssertionException($"Timeout ({wait.TotalSeconds:0.00} s) waiting for {message ?? "the condition"}");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }
    }

    private static string Hint(string? hint) => hint is null ? "" : $" ({hint})";
}
