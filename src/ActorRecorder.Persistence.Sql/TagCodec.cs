namespace ActorRecorder.Persistence.Sql;

/// <summary>
/// Tags in one text column as <c>;a;b;</c> (as Akka.Persistence.Sql's tag separator), so a query by
/// tag is <c>tags LIKE '%;a;%'</c>; no tags is NULL.
/// </summary>
internal static class TagCodec
{
    public static string? Encode(IReadOnlyList<string> tags) => tags.Count == 0 ? null : ";" + string.Join(';', tags) + ";";

    public static IReadOnlyList<string> Decode(string? column) =>
        string.IsNullOrEmpty(column) ? [] : column.Split(';', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The LIKE pattern matching one tag; LIKE wildcards in the tag are escaped with '\'.</summary>
    public static string LikePattern(string tag) =>
        "%;" + tag.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + ";%";
}
