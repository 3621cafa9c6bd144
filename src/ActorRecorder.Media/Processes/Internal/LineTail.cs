namespace ActorRecorder.Media.Processes.Internal;

/// <summary>A bounded, thread-safe ring of the last lines a process wrote (CliWrap keeps no tail of its own).</summary>
internal sealed class LineTail(int capacity)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }
}
