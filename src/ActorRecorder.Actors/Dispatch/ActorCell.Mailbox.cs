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
    private MailboxSegment? _tail;
    private MailboxSegment? _head;
    private int _headIndex;
    private SystemMessage? _systemInbox;
    private int _scheduled;
    private int _queued;

    /// <summary>User messages waiting (approximate while the actor runs; exact for a bounded mailbox).</summary>
    internal int MailboxDepth
    {
        get
        {
            if (_props.MailboxCapacity is not null)
            {
                return Math.Max(0, Volatile.Read(ref _queued));
            }
            var depth = 0;
            for (var node = _extras?.Prepended; node is not null; node = node.Next)
            {
                depth++;
            }
            var first = true;
            for (var segment = Volatile.Read(ref _head); segment is not null; segment = Volatile.Read(ref segment.Next))
            {
                var claimed = Math.Min(Volatile.Read(ref segment.Claimed), segment.Slots.Length);
                depth += Math.Max(0, claimed - (first ? Volatile.Read(ref _headIndex) : 0));
                first = false;
            }
            return depth;
        }
    }

    internal void SendMessage(object message, IActorRef? sender)
    {
        var capacity = _props.MailboxCapacity;
        if (capacity is not null && Interlocked.Increment(ref _queued) > capacity.Value)
        {
            Interlocked.Decrement(ref _queued);
            _system.DeadLetters.Tell(new DeadLetter(message, sender, Self), sender);
            return;
        }
        if (!TryEnqueue(message, sender))
        {
            if (capacity is not null)
            {
                Interlocked.Decrement(ref _queued);
            }
            _system.DeadLetters.Tell(new DeadLetter(message, sender, Self), sender);
            return;
        }
        Schedule();
    }

    /// <summary>Claims and fills a slot; false when the mailbox is closed (the actor has stopped).</summary>
    private bool TryEnqueue(object message, IActorRef? sender)
    {
        var segment = Volatile.Read(ref _tail) ?? InstallFirstSegment();
        while (true)
        {
            // The increment is the full fence that pairs with the consumer's clearing of _scheduled (see HasWork).
            var index = Interlocked.Increment(ref segment.Claimed) - 1;
            if ((uint)index >= MailboxSegment.ClosedBias)
            {
                return false;
            }
            var slots = segment.Slots;
            if (index < slots.Length)
            {
                ref var slot = ref slots[index];
                slot.Message = message;
                slot.Sender = sender;
                Volatile.Write(ref slot.Ready, 1);
                return true;
            }
            segment = NextSegment(segment);
        }
    }

    private MailboxSegment InstallFirstSegment()
    {
        var first = new MailboxSegment(MailboxSegment.FirstSize);
        var existing = Interlocked.CompareExchange(ref _tail, first, null);
        if (existing is not null)
        {
            return existing;
        }
        // Only the installer writes _head before the consumer owns it; until then the consumer sees an empty mailbox.
        Volatile.Write(ref _head, first);
        return first;
    }

    private MailboxSegment NextSegment(MailboxSegment full)
    {
        var next = Volatile.Read(ref full.Next);
        if (next is null)
        {
            var fresh = new MailboxSegment(Math.Min(full.Slots.Length * 2, MailboxSegment.MaxSize));
            next = Interlocked.CompareExchange(ref full.Next, fresh, null) ?? fresh;
        }
        Interlocked.CompareExchange(ref _tail, next, full);
        return next;
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
        // Read before CAS: a busy actor is already scheduled, and a failed CAS would still bounce the cache line.
        // Safe because every enqueue before this is a full fence, and the consumer clears the flag with one before it re-checks.
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            // The global queue, as Akka's dispatcher does: an actor back from its throughput quota goes behind the others.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>One turn of the actor on a thread-pool thread.</summary>
    public void Execute()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            ProcessSystemMessages();
            var budget = _system.Settings.Throughput;
            var bounded = _props.MailboxCapacity is not null;
            while (budget-- > 0 && CanProcessUserMessages && TryDequeue(out var message, out var sender))
            {
                if (bounded)
                {
                    Interlocked.Decrement(ref _queued);
                }
                Invoke(message, sender);
                if (Volatile.Read(ref _systemInbox) is not null)
                {
                    ProcessSystemMessages();
                }
            }
        }
        finally
        {
            t_current = previous;
            // Exchange is a full fence: a producer whose Schedule() saw the flag set has claimed a slot we will see.
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
        if (_extras?.Prepended is not null)
        {
            return true;
        }
        // A claimed slot counts even before it is ready: its producer may have seen us scheduled and not reschedule.
        var segment = Volatile.Read(ref _head);
        return segment is not null && (Math.Min(Volatile.Read(ref segment.Claimed), segment.Slots.Length) > _headIndex
            || (_headIndex >= segment.Slots.Length && Volatile.Read(ref segment.Next) is not null));
    }

    private bool TryDequeue(out object message, out IActorRef? sender)
    {
        if (_extras?.Prepended is { } prepended)
        {
            _extras.Prepended = prepended.Next;
            message = prepended.Message;
            sender = prepended.Sender;
            return true;
        }
        var segment = _head ?? Volatile.Read(ref _head);
        while (segment is not null)
        {
            var slots = segment.Slots;
            var index = _headIndex;
            if (index < slots.Length)
            {
                if (index >= Math.Min(Volatile.Read(ref segment.Claimed), slots.Length))
                {
                    break;
                }
                ref var slot = ref slots[index];
                if (Volatile.Read(ref slot.Ready) == 0)
                {
                    // Claimed but not yet written (its producer may be preempted): end the turn rather than spin;
                    // HasWork counts the claim, so the actor is queued again behind the producer.
                    break;
                }
                message = slot.Message!;
                sender = slot.Sender;
                slot.Message = null;
                slot.Sender = null;
                _headIndex = index + 1;
                return true;
            }
            var next = Volatile.Read(ref segment.Next);
            if (next is null)
            {
                break;
            }
            _head = segment = next;
            _headIndex = 0;
        }
        message = null!;
        sender = null;
        return false;
    }

    /// <summary>Puts messages back at the head of the mailbox, in the given order (used by unstash).</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            var envelope = envelopes[i];
            envelope.Next = Extras.Prepended;
            Extras.Prepended = envelope;
        }
        if (_props.MailboxCapacity is not null)
        {
            Interlocked.Add(ref _queued, envelopes.Count);
        }
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
    /// Closes both queues after the actor stopped: every message claimed before the close goes to dead
    /// letters, and every later send finds the mailbox closed and reroutes itself there.
    /// </summary>
    private void CloseMailbox()
    {
        var pending = new List<(object Message, IActorRef? Sender)>();
        for (var node = _extras?.Prepended; node is not null; node = node.Next)
        {
            pending.Add((node.Message, node.Sender));
        }
        if (_extras is not null)
        {
            _extras.Prepended = null;
        }
        MailboxSegment? segment = null;
        if (Interlocked.CompareExchange(ref _tail, MailboxSegment.NewClosed(), null) is not null)
        {
            // The sender that installed the first segment publishes it as _head right after; wait for that.
            var spinHead = new SpinWait();
            while ((segment = Volatile.Read(ref _head)) is null)
            {
                spinHead.SpinOnce();
            }
        }
        var start = _headIndex;
        while (segment is not null)
        {
            var claimed = Interlocked.Add(ref segment.Claimed, MailboxSegment.ClosedBias) - MailboxSegment.ClosedBias;
            var slots = segment.Slots;
            for (var i = start; i < Math.Min(claimed, slots.Length); i++)
            {
                var spin = new SpinWait();
                while (Volatile.Read(ref slots[i].Ready) == 0)
                {
                    spin.SpinOnce();
                }
                pending.Add((slots[i].Message!, slots[i].Sender));
                slots[i] = default;
            }
            if (claimed <= slots.Length)
            {
                break;
            }
            // A producer overflowed this segment before the close: it links the next one, which we close too.
            var spinNext = new SpinWait();
            while (Volatile.Read(ref segment.Next) is null)
            {
                spinNext.SpinOnce();
            }
            segment = segment.Next;
            start = 0;
        }
        _head = null;
        Volatile.Write(ref _queued, 0);
        foreach (var (message, sender) in pending)
        {
            _system.DeadLetters.Tell(new DeadLetter(message, sender, Self), sender);
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

    /// <summary>A dead actor still answers a watch (with Terminated at once).</summary>
    private void HandleSystemMessageAfterTermination(SystemMessage message)
    {
        if (message is SysWatch watch && watch.Watchee == Self)
        {
            watch.Watcher.SendSystem(new SysDeathWatchNotification(Self, existenceConfirmed: true));
        }
    }
}
