using ActorRecorder.Actors.Event;

namespace ActorRecorder.Actors.Internal;

/// <summary>
/// The mailbox. Producers push onto lock-free stacks (one for user, one for system messages); the
/// consumer takes a whole stack at once and reverses it, which restores per-sender order. An idle
/// mailbox costs no allocation. The cell is its own thread-pool work item: a turn processes all
/// system messages, then up to <c>Throughput</c> user messages, checking for system messages
/// between each, so stop, watch and failure handling overtake user traffic.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private Envelope? _userInbox;
    private Envelope? _userBatch;
    private SystemMessage? _systemInbox;
    private int _scheduled;
    private int _queued;

    /// <summary>User messages waiting (approximate while the actor runs).</summary>
    internal int MailboxDepth => Math.Max(0, Volatile.Read(ref _queued));

    internal void SendMessage(object message, IActorRef? sender)
    {
        var capacity = _props.MailboxCapacity;
        if (capacity is not null && Interlocked.Increment(ref _queued) > capacity.Value)
        {
            Interlocked.Decrement(ref _queued);
            _system.DeadLetters.Tell(new DeadLetter(message, sender, Self), sender);
            return;
        }
        var envelope = new Envelope(message, sender);
        while (true)
        {
            var head = Volatile.Read(ref _userInbox);
            if (ReferenceEquals(head, Envelope.Closed))
            {
                if (capacity is not null)
                {
                    Interlocked.Decrement(ref _queued);
                }
                _system.DeadLetters.Tell(new DeadLetter(message, sender, Self), sender);
                return;
            }
            envelope.Next = head;
            if (ReferenceEquals(Interlocked.CompareExchange(ref _userInbox, envelope, head), head))
            {
                break;
            }
        }
        if (capacity is null)
        {
            Interlocked.Increment(ref _queued);
        }
        Schedule();
    }

    internal void SendSystem(SystemMessage message)
    {
        while (true)
        {
            var head = Volatile.Read(ref _systemInbox);
            if (ReferenceEquals(head, ClosedSystemQueue.Instance))
            {
                HandleSystemMessageAfterTermination(message);
                return;
            }
            message.Next = head;
            if (ReferenceEquals(Interlocked.CompareExchange(ref _systemInbox, message, head), head))
            {
                break;
            }
        }
        Schedule();
    }

    private void Schedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>One turn of the actor on a thread-pool thread.</summary>
    public void Execute()
    {
        var previous = t_current;
        t_current = this;
        var processed = 0;
        try
        {
            ProcessSystemMessages();
            var budget = _system.Settings.Throughput;
            var bounded = _props.MailboxCapacity is not null;
            while (budget-- > 0 && CanProcessUserMessages)
            {
                var envelope = DequeueUser();
                if (envelope is null)
                {
                    break;
                }
                // A bounded mailbox frees its slot at once; an unbounded one settles its count once per turn.
                if (bounded)
                {
                    Interlocked.Decrement(ref _queued);
                }
                else
                {
                    processed++;
                }
                Invoke(envelope);
                if (Volatile.Read(ref _systemInbox) is not null)
                {
                    ProcessSystemMessages();
                }
            }
        }
        finally
        {
            t_current = previous;
            if (processed > 0)
            {
                Interlocked.Add(ref _queued, -processed);
            }
            // Exchange is a full fence: a producer whose Schedule() lost the race sees 0 or we see its message.
            Interlocked.Exchange(ref _scheduled, 0);
        }
        if (HasWork())
        {
            Schedule();
        }
    }

    private bool CanProcessUserMessages =>
        _lifecycle == Lifecycle.Running && _extras?.PendingTask is null;

    private bool HasWork()
    {
        var system = Volatile.Read(ref _systemInbox);
        if (system is not null && !ReferenceEquals(system, ClosedSystemQueue.Instance))
        {
            return true;
        }
        if (!CanProcessUserMessages)
        {
            return false;
        }
        var user = Volatile.Read(ref _userInbox);
        return _userBatch is not null || (user is not null && !ReferenceEquals(user, Envelope.Closed));
    }

    private Envelope? DequeueUser()
    {
        var next = _userBatch;
        if (next is null)
        {
            var stack = Volatile.Read(ref _userInbox);
            if (stack is null || ReferenceEquals(stack, Envelope.Closed))
            {
                return null;
            }
            stack = Interlocked.Exchange(ref _userInbox, null);
            if (stack is null)
            {
                return null;
            }
            next = Reverse(stack);
        }
        _userBatch = next.Next;
        next.Next = null;
        return next;
    }

    private static Envelope Reverse(Envelope stack)
    {
        Envelope? reversed = null;
        for (var node = stack; node is not null;)
        {
            var following = node.Next;
            node.Next = reversed;
            reversed = node;
            node = following;
        }
        return reversed!;
    }

    /// <summary>Puts envelopes back at the head of the mailbox, in the given order (used by unstash).</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            var envelope = envelopes[i];
            envelope.Next = _userBatch;
            _userBatch = envelope;
        }
        Interlocked.Add(ref _queued, envelopes.Count);
    }

    private void ProcessSystemMessages()
    {
        while (true)
        {
            var stack = Volatile.Read(ref _systemInbox);
            if (stack is null || ReferenceEquals(stack, ClosedSystemQueue.Instance))
            {
                return;
            }
            // Only this turn closes the queue, so the head cannot become the closed marker meanwhile.
            stack = Interlocked.Exchange(ref _systemInbox, null)!;
            SystemMessage? ordered = null;
            for (var node = stack; node is not null;)
            {
                var following = node.Next;
                node.Next = ordered;
                ordered = node;
                node = following;
            }
            for (var message = ordered; message is not null;)
            {
                var following = message.Next;
                message.Next = null;
                ProcessSystemMessage(message);
                message = following;
            }
        }
    }

    /// <summary>
    /// Closes both queues after the actor stopped: remaining user messages go to dead letters and
    /// any later send is rerouted there by the senders themselves.
    /// </summary>
    private void CloseMailbox()
    {
        var user = Interlocked.Exchange(ref _userInbox, Envelope.Closed);
        var pending = new List<Envelope>();
        for (var node = _userBatch; node is not null; node = node.Next)
        {
            pending.Add(node);
        }
        _userBatch = null;
        if (user is not null && !ReferenceEquals(user, Envelope.Closed))
        {
            for (var node = Reverse(user); node is not null; node = node.Next)
            {
                pending.Add(node);
            }
        }
        Volatile.Write(ref _queued, 0);
        foreach (var envelope in pending)
        {
            _system.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender, Self), envelope.Sender);
        }
        var system = Interlocked.Exchange(ref _systemInbox, ClosedSystemQueue.Instance);
        SystemMessage? ordered = null;
        for (var node = system; node is not null && !ReferenceEquals(node, ClosedSystemQueue.Instance);)
        {
            var following = node.Next;
            node.Next = ordered;
            ordered = node;
            node = following;
        }
        for (var message = ordered; message is not null; message = message.Next)
        {
            HandleSystemMessageAfterTermination(message);
        }
    }

    /// <summary>A dead actor still answers a watch (with Terminated at once) and tells a parent it is gone.</summary>
    private void HandleSystemMessageAfterTermination(SystemMessage message)
    {
        if (message is SysWatch watch && watch.Watchee == Self)
        {
            watch.Watcher.SendSystem(new SysDeathWatchNotification(Self, existenceConfirmed: true));
        }
    }
}
