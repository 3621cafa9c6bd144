using Xunit.Sdk;

namespace ActorRecorder.Actors.TestKit;

/// <summary>An expectation of the TestKit failed; the message says which expectation and how long it waited.</summary>
public sealed class TestKitAssertionException(string message) : XunitException(message);
