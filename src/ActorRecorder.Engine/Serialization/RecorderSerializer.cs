using Akka.Actor;
using Akka.Serialization;

namespace ActorRecorder.Engine.Serialization;

/// <summary>
/// Akka's serializer for every <see cref="IRecorderMessage"/>: System.Text.Json under the stable string
/// manifests of <see cref="RecorderMessages"/>, so a renamed or moved type still replays (Akka's default
/// stores CLR type names). Bound in the node's composition root.
/// </summary>
public sealed class RecorderSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stored with every journal row and snapshot; never change it.</summary>
    public const int SerializerId = 4171;

    public override int Identifier => SerializerId;

    public override byte[] ToBinary(object obj) => RecorderMessages.Catalog.Serialize(obj).Payload;

    public override string Manifest(object o) => RecorderMessages.Catalog.ManifestOf(o.GetType())
        ?? throw new SerializationFailedException($"Type [{o.GetType().FullName}] has no manifest: register it in RecorderMessages");

    /// <summary>The value stored under <paramref name="manifest"/>, or an <see cref="UnreadablePayload"/> saying why it cannot be read.</summary>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return RecorderMessages.Catalog.Deserialize(manifest, bytes);
        }
        catch (SerializationFailedException ex)
        {
            return new UnreadablePayload(manifest, ex.Message);
        }
    }
}
