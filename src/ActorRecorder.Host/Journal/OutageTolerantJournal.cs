using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;
using ActorRecorder.Host.Leases.Internal;
using Npgsql;
using AkkaConfig = Akka.Configuration.Config;

namespace ActorRecorder.Host.Journal;

/// <summary>
/// A cluster's journal (Akka.Persistence.Sql on PostgreSQL) that rides out a database outage: a write that fails because
/// the database does not answer (a connection refused, reset or timed out, PostgreSQL shutting down) is tried again, with
/// back-off, for the lease ttl (the writer's lease covers that long) and, beyond it, for as long as the node rides its
/// leases out (PostgresLeaseStore.RideOut.cs). The writing actor waits meanwhile (Akka stashes its commands while a
/// persist is in flight) instead of failing and stopping with its ffmpeg; the event is written once the database answers
/// again. Any other error, or an outage that outlasts the ride-out, fails the write as before.
/// </summary>
/// <remarks>
/// A write whose commit reached the database but whose answer was lost fails its retry on the journal's unique key (the
/// writer then stops and replays, and finds its event); nothing is written twice. Retries are sent to the journal actor
/// itself, since the SQL journal must be called on its own thread.
/// </remarks>
public sealed class OutageTolerantJournal : SqlWriteJournal
{
    /// <summary>The journal's block (its plugin id's config) keys this class adds.</summary>
    public const string GraceKey = "outage.grace";
    public const string RideOutKey = "outage.ride-out";

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(2);

    private readonly TimeSpan _grace;
    private readonly TimeSpan _rideOut;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public OutageTolerantJournal(AkkaConfig journalConfig) : base(journalConfig)
    {
        _grace = journalConfig.GetTimeSpan(GraceKey, TimeSpan.Zero);
        _rideOut = journalConfig.GetTimeSpan(RideOutKey, TimeSpan.Zero);
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var batch = messages.ToList();
        var first = base.WriteMessagesAsync(batch, cancellationToken);
        return _grace <= TimeSpan.Zero ? first : RetryAsync(batch, first, Self, PostgresLeaseStores.Get(Context.System), cancellationToken);
    }

    protected override bool ReceivePluginInternal(object message)
    {
        if (message is RetryWrite retry)
        {
            _ = CompleteAsync(base.WriteMessagesAsync(retry.Batch, retry.Cancellation), retry.Result);
            return true;
        }
        return base.ReceivePluginInternal(message);
    }

    private async Task<IImmutableList<Exception>> RetryAsync(List<AtomicWrite> batch, Task<IImmutableList<Exception>> first, IActorRef self,
        PostgresLeaseStores leases, CancellationToken cancellationToken)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var attempt = first;
        for (var tries = 1; ; tries++)
        {
            try
            {
                var result = await attempt.ConfigureAwait(false);
                if (tries > 1)
                {
                    _log.Info("Journal write of {0} ({1} event(s)) went through after {2} tries, {3:0.0} s after its first",
                        batch[0].PersistenceId, batch.Sum(w => w.Size), tries, Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
                }
                return result;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Transient(e) && Stopwatch.GetElapsedTime(startedAt) is var waited
                                      && (waited < _grace || (waited < _grace + _rideOut && leases.AnyWhole)))
            {
                if (tries == 1)
                {
                    _log.Warning("Journal write of {0} failed ({1}); trying again until the database answers (for {2:0.#} s, longer while "
                        + "the cluster rides the outage out)", batch[0].PersistenceId, e.Message, _grace.TotalSeconds);
                }
                var backoff = TimeSpan.FromTicks(Math.Min(LastBackoff.Ticks, FirstBackoff.Ticks << Math.Min(tries - 1, 4)));
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                var retry = new RetryWrite(batch, cancellationToken);
                self.Tell(retry, ActorRefs.NoSender);
                attempt = retry.Result.Task;
            }
        }
    }

    private static async Task CompleteAsync(Task<IImmutableList<Exception>> write, TaskCompletionSource<IImmutableList<Exception>> result)
    {
        try
        {
            result.TrySetResult(await write.ConfigureAwait(false));
        }
        catch (Exception e)
        {
            result.TrySetException(e);
        }
    }

    /// <summary>Whether <paramref name="failure"/> says the database did not answer (as opposed to refusing the write).</summary>
    internal static bool Transient(Exception failure)
    {
        if (failure is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Transient);
        }
        for (var cause = failure; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case PostgresException postgres:
                    // Connection exceptions, operator intervention (shutting down, cannot connect now), insufficient resources.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal);
                case NpgsqlException:
                case TimeoutException:
                case IOException:
                case SocketException:
                    return true;
            }
        }
        return false;
    }

    private sealed class RetryWrite(List<AtomicWrite> batch, CancellationToken cancellation)
    {
        public List<AtomicWrite> Batch { get; } = batch;

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource<IImmutableList<Exception>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
