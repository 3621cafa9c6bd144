using System.Collections;

namespace ActorRecorder.Hocon;

public sealed class ConfigList : ConfigValue, IReadOnlyList<ConfigValue>
{
    private readonly ConfigValue[] _items;
    private readonly bool _resolved;
    private readonly long _weight;

    public ConfigList(IEnumerable<ConfigValue> items, ConfigOrigin? origin = null)
        : base(origin)
    {
        _items = items.ToArray();
        _resolved = _items.All(i => i.IsResolved);
        _weight = 1;
        foreach (var item in _items)
        {
            _weight = SaturatingWeight.Add(_weight, item.Weight);
        }
    }

    public int Count => _items.Length;

    public ConfigValue this[int index] => _items[index];

    internal override bool IsResolved => _resolved;

    internal override long Weight => _weight;

    public IEnumerator<ConfigValue> GetEnumerator() => ((IEnumerable<ConfigValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
