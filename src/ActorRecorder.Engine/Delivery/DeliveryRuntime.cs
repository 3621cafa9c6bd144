using System.Collections.Immutable;

namespace ActorRecorder.Engine.Delivery;

public enum WorkKind
{
    Split,
    Recut,
    Compress,
    Deliver,
    Comment,
}

/// <summary>The one request a delivery worker is working on; a reply that does not name it is stale and dropped.</summary>
public sealed record WorkRequest(long Id, int Worker, WorkKind Kind, string SessionId, int? Part = null, string? Target = null);

/// <summary>
/// What one incarnation of a channel knows about its delivery beyond the journal (the delivery rules' own slice of the
/// runtime state; lost on restart by design: the journal's sessions say where delivery stands).
/// </summary>
public sealed record DeliveryRuntime
{
    /// <summary>The incarnation of the splitter and uploader; bumped when they die or stop answering.</summary>
    public int Worker { get; init; } = 1;

    public WorkRequest? Outstanding { get; init; }

    public long NextRequestId { get; init; } = 1;

    /// <summary>Failed requests in a row (the retry's back-off grows with them).</summary>
    public int Failures { get; init; }

    /// <summary>Delivery waits for its back-off timer after a transient failure.</summary>
    public bool RetryWaiting { get; init; }

    /// <summary>The delivery settings changed while a request was in flight: fresh workers once it is answered.</summary>
    public bool ChangePending { get; init; }

    /// <summary>Sessions whose files are being deleted right now.</summary>
    public ImmutableHashSet<string> CleanupsRunning { get; init; } = [];

    /// <summary>A WAITING message is being posted (its answer, <c>WaitingPosted</c>, has not come).</summary>
    public bool WaitingPostPending { get; init; }
}
