namespace ActorRecorder.Persistence.Serialization;

/// <summary>An event or snapshot could not be serialized or deserialized; the message says which manifest or type.</summary>
public class EventSerializationException : Exception
{
    public EventSerializationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// A stored payload carries a manifest that no type is registered for and no upcaster takes: the
/// event type was renamed or removed without an upcaster. Recovery of that actor fails.
/// </summary>
public sealed class UnknownManifestException : EventSerializationException
{
    public UnknownManifestException(string manifest)
        : base($"Unknown event manifest [{manifest}]: register its type with EventSerializer.Register<T>(\"{manifest}\") " +
               "or map it to a current one with EventSerializer.AddUpcaster(\"" + manifest + "\", ...)") =>
        Manifest = manifest;

    public string Manifest { get; }
}
