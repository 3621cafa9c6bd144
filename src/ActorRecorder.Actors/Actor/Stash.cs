using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>Set aside the current message to process later.</summary>
public interface IStash
{
    /// <summary>Stashes the message being processed.</summary>
    /// <exception cref="IllegalActorStateException">The same message is stashed twice, or there is no current message.</exception>
    void Stash();

    /// <summary>Puts the oldest stashed message back at the head of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts every stashed message back at the head of the mailbox, oldest first.</summary>
    void UnstashAll();

    int Count { get; }
}

/// <summary>
/// An actor with a stash. The kernel sets <see cref="Stash"/> when it creates the instance;
/// on restart the stash is emptied back into the mailbox, on stop into dead letters.
/// </summary>
public interface IWithStash
{
    IStash Stash { get; set; }
}

internal sealed class ActorStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    public void Stash()
    {
        var message = cell.CurrentMessage ?? throw new IllegalActorStateException("There is no message to stash");
        var sender = cell.CurrentSenderOrNull;
        // As in Akka.NET: the current message equals the last one stashed (same instance, same sender).
        if (_stashed.Count > 0 && ReferenceEquals(_stashed[^1].Message, message) && Equals(_stashed[^1].Sender, sender))
        {
            throw new IllegalActorStateException($"Can't stash the same message [{message}] more than once");
        }
        _stashed.Add(new Envelope(message, sender));
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }
        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.Prepend([first]);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0)
        {
            return;
        }
        cell.Prepend(_stashed.ToArray());
        _stashed.Clear();
    }

    internal IReadOnlyList<Envelope> Clear()
    {
        var all = _stashed.ToArray();
        _stashed.Clear();
        return all;
    }
}
