namespace ActorRecorder.Hocon;

public enum ConfigSyntax
{
    /// <summary>HOCON (<c>.conf</c>).</summary>
    Conf,

    /// <summary>Strict JSON (<c>.json</c>): no comments, unquoted text, substitutions or missing commas.</summary>
    Json,

    /// <summary>Java properties (<c>.properties</c>): every value is a string, dotted keys nest.</summary>
    Properties,
}
