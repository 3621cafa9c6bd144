namespace ActorRecorder.Hocon;

/// <summary>Where a value or an error comes from: a file (or resource) name when known, and a 1-based line and column.</summary>
public sealed record ConfigOrigin(string? File, int Line, int Column)
{
    public override string ToString() => File is null ? $"{Line}:{Column}" : $"{File}:{Line}:{Column}";
}
