using System.Text;

namespace ActorRecorder.Actors;

/// <summary>
/// The location of an actor in its system's tree: <c>actor://system/user/parent/child</c>.
/// Paths compare by their elements (not by the actor's incarnation).
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    private ActorPath(string systemName, ActorPath? parent, string name)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    public const string Scheme = "actor";

    public string SystemName { get; }

    /// <summary>The parent's path; null for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element (the actor's name); "/" for the root.</summary>
    public string Name { get; }

    public int Depth { get; }

    public ActorPath Root => Parent is null ? this : Parent.Root;

    /// <summary>The elements below the root, e.g. <c>["user", "a", "b"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent)
            {
                elements[p.Depth - 1] = p.Name;
            }
            return elements;
        }
    }

    internal static ActorPath CreateRoot(string systemName) => new(systemName, null, "/");

    /// <summary>The path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name) => new(SystemName, this, name);

    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    /// <summary>The path without scheme and system, e.g. <c>/user/a</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Parent is null)
        {
            return "/";
        }
        var sb = new StringBuilder();
        AppendElements(sb);
        return sb.ToString();
    }

    private void AppendElements(StringBuilder sb)
    {
        if (Parent is null)
        {
            return;
        }
        Parent.AppendElements(sb);
        sb.Append('/').Append(Name);
    }

    public override string ToString() => $"{Scheme}://{SystemName}{ToStringWithoutAddress()}";

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other.Depth != Depth || other.SystemName != SystemName)
        {
            return false;
        }
        for (ActorPath? a = this, b = other; a is not null && b is not null; a = a.Parent, b = b.Parent)
        {
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var p = this; p is not null; p = p.Parent)
        {
            hash.Add(p.Name, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    public static bool operator ==(ActorPath? left, ActorPath? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);
}
