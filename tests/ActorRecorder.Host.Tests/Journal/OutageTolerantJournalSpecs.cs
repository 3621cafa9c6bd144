using System.Net.Sockets;
using ActorRecorder.Host.Journal;
using Npgsql;

namespace ActorRecorder.Host.Tests.Journal;

/// <summary>
/// Which failed writes the cluster's journal tries again: those where the database did not answer, never those it refused
/// (a unique-key violation means the row is there, written by this writer's earlier try or by another one).
/// </summary>
public sealed class OutageTolerantJournalSpecs
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "stream broken", new NpgsqlException("Exception while reading from stream", new IOException("reset")), true },
        { "command timeout", new TimeoutException("no answer"), true },
        { "shutting down", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "cannot connect now", new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { "connection failure", new PostgresException("connection failure", "FATAL", "FATAL", "08006"), true },
        { "too many connections", new PostgresException("too many clients", "FATAL", "FATAL", "53300"), true },
        { "unique violation", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { "undefined table", new PostgresException("relation does not exist", "ERROR", "ERROR", "42P01"), false },
        { "a bug", new InvalidOperationException("not a database fault"), false },
        { "wrapped refusal", new InvalidOperationException("write failed", new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), false },
        { "wrapped timeout", new InvalidOperationException("write failed", new TimeoutException("no answer")), true },
        { "all transient", new AggregateException(new TimeoutException(), new IOException()), true },
        { "one refused", new AggregateException(new TimeoutException(), new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_write_must_be_tried_again_only_when_the_database_did_not_answer(string what, Exception failure, bool retried) =>
        Assert.True(OutageTolerantJournal.Transient(failure) == retried, $"{what}: expected {(retried ? "a retry" : "a failure")}");
}
