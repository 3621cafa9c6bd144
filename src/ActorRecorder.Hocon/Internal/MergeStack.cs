namespace ActorRecorder.Hocon;

/// <summary>
/// Successive definitions of one field that could not be merged while parsing because at least one is
/// unresolved. Layers go from the oldest (lowest priority) to the newest; a self-reference in a layer
/// sees the merge of the layers below it.
/// </summary>
internal sealed class MergeStack : ConfigValue
{
    private MergeStack(IReadOnlyList<ConfigValue> layers)
        : base(layers[^1].Origin)
    {
        Layers = layers;
    }

    public IReadOnlyList<ConfigValue> Layers { get; }

    internal override bool IsResolved => false;

    public static MergeStack Of(ConfigValue older, ConfigValue newer)
    {
        var layers = new List<ConfigValue>();
        Add(layers, older);
        Add(layers, newer);
        return new MergeStack(layers);
    }

    private static void Add(List<ConfigValue> layers, ConfigValue value)
    {
        if (value is MergeStack stack)
        {
            layers.AddRange(stack.Layers);
        }
        else
        {
            layers.Add(value);
        }
    }
}
