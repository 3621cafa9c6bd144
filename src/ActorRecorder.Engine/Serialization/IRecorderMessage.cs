namespace ActorRecorder.Engine.Serialization;

/// <summary>
/// Marks what may be persisted or cross nodes: Akka binds every such type to <see cref="RecorderSerializer"/>
/// (System.Text.Json under a stable manifest), never to its default serializer.
/// </summary>
public interface IRecorderMessage;
