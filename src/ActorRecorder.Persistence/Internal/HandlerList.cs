namespace ActorRecorder.Persistence.Internal;

/// <summary>An ordered list of typed handlers; the first that takes a message handles it.</summary>
internal sealed class HandlerList
{
    private Func<object, bool>[] _handlers = [];

    public bool IsEmpty => _handlers.Length == 0;

    public void Add(Func<object, bool> handler)
    {
        var grown = new Func<object, bool>[_handlers.Length + 1];
        _handlers.CopyTo(grown, 0);
        grown[^1] = handler;
        _handlers = grown;
    }

    public bool Invoke(object message)
    {
        var handlers = _handlers;
        for (var i = 0; i < handlers.Length; i++)
        {
            if (handlers[i](message))
            {
                return true;
            }
        }
        return false;
    }
}
