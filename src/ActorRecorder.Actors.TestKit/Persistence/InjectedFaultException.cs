namespace ActorRecorder.Actors.TestKit.Persistence;

/// <summary>A failure or rejection that a test injected into a journal or snapshot store.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
