namespace ActorRecorder.Platforms.Gate;

/// <summary>Bounds of a platform's adaptive concurrency limit.</summary>
public sealed record GateOptions
{
    public int InitialLimit { get; init; } = 4;
    public int MinLimit { get; init; } = 1;
    public int MaxLimit { get; init; } = 16;

    /// <summary>Successes in a row that raise the limit by one.</summary>
    public int SuccessesToGrow { get; init; } = 10;
}
