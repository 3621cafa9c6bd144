namespace ActorRecorder.Engine.Serialization;

/// <summary>An event or snapshot could not be serialized or deserialized; the message says which manifest or type.</summary>
public class SerializationFailedException : Exception
{
    public SerializationFailedException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// A stored payload carries a manifest that no type is registered for and no upcaster takes: the
/// event type was renamed or removed without an upcaster. Recovery of that actor fails.
/// </summary>
public sealed class UnknownManifestException : SerializationFailedException
{
    public UnknownManifestException(string manifest)
        : base($"Unknown event manifest [{manifest}]: register its type with ManifestCatalog.Register<T>(\"{manifest}\") " +
               "or map it to a current one with ManifestCatalog.AddUpcaster(\"" + manifest + "\", ...)") =>
        Manifest = manifest;

    public string Manifest { get; }
}
