using System.Globalization;
using System.Text;

namespace ActorRecorder.Hocon;

/// <summary>
/// Java properties (spec, "Java properties mapping"): values are strings, keys split on every '.',
/// and when a key is both a string and a parent object the object wins.
/// </summary>
internal static class PropertiesParser
{
    public static ConfigObject Parse(string text, string? file)
    {
        var root = new Node();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            // A line ending in an odd number of backslashes continues on the next one.
            while (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                line = line[..^1] + lines[++i].TrimStart(' ', '\t', '\f');
            }

            if (EndsWithContinuation(line))
            {
                line = line[..^1];
            }

            var (key, value) = Split(line, new ConfigOrigin(file, lineNumber, 1));
            root.Add(key.Split('.'), new ConfigString(value, new ConfigOrigin(file, lineNumber, 1)));
        }

        return root.ToObject(new ConfigOrigin(file, 1, 1));
    }

    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static (string Key, string Value) Split(string line, ConfigOrigin origin)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('=' or ':' or ' ' or '\t' or '\f'))
        {
            i += line[i] == '\\' ? 2 : 1;
        }

        i = Math.Min(i, line.Length);
        var key = Unescape(line[..i], origin);
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }

        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        return (key, Unescape(line[i..], origin));
    }

    private static string Unescape(string s, ConfigOrigin origin)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length)
            {
                sb.Append(s[i]);
                continue;
            }

            var c = s[++i];
            switch (c)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (s.Length - i - 1 < 4
                        || !int.TryParse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new ConfigException("malformed \\uXXXX escape in properties file", origin);
                    }

                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    private sealed class Node
    {
        private readonly OrderedDictionary<string, object> _children = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ConfigOrigin> _keyOrigins = new(StringComparer.Ordinal);

        /// <summary>Every key of the path is positioned at the start of the line that sets it (that created it, for a parent).</summary>
        public void Add(string[] path, ConfigString value)
        {
            var node = this;
            for (var i = 0; i < path.Length - 1; i++)
            {
                if (!node._children.TryGetValue(path[i], out var child) || child is not Node childNode)
                {
                    // The object wins over a string already stored at this key.
                    childNode = new Node();
                    node._children[path[i]] = childNode;
                    node._keyOrigins[path[i]] = value.Origin!;
                }

                node = childNode;
            }

            var last = path[^1];
            if (!node._children.TryGetValue(last, out var existing) || existing is not Node)
            {
                node._children[last] = value;
                node._keyOrigins[last] = value.Origin!;
            }
        }

        public ConfigObject ToObject(ConfigOrigin origin)
        {
            var fields = new ObjectBuilder();
            foreach (var (key, child) in _children)
            {
                fields.Add(key, child is Node node ? node.ToObject(origin) : (ConfigValue)child, _keyOrigins[key]);
            }

            return fields.Build(origin);
        }
    }
}
