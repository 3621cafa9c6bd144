namespace ActorRecorder.Telegram.FakeServer;

/// <summary>Any request that reached the fake, answered or not: what tests measure waits between.</summary>
/// <param name="Method">Method from the URL (as written).</param>
/// <param name="At">When its headers arrived.</param>
/// <param name="Fault">The scripted fault applied to it, if any.</param>
public sealed record RequestArrival(string Method, DateTimeOffset At, Fault? Fault);
