using System.Text;
using System.Text.RegularExpressions;

namespace ActorRecorder.Hocon;

/// <summary>Spec, "Includes": <c>include "name"</c>, <c>file(...)</c>, <c>required(...)</c>; url() and classpath() are refused.</summary>
internal sealed partial class Parser
{
    private static readonly string[] KnownExtensions = [".properties", ".json", ".conf"];

    private void ParseInclude(ObjectBuilder fields, ConfigPath? path)
    {
        var include = Take();
        SkipWhitespaceAndNewlines();

        // '(' is not a reserved character, so "required(file(" arrives as unquoted text before the quoted name.
        var wrapper = new StringBuilder();
        while (Peek().Kind is TokenKind.UnquotedText or TokenKind.Whitespace or TokenKind.Newline)
        {
            var token = Take();
            if (token.Kind == TokenKind.UnquotedText)
            {
                wrapper.Append(token.Text);
            }
        }

        var name = Peek();
        if (name.Kind != TokenKind.QuotedString)
        {
            throw Error(name, $"include must be followed by a quoted name, file(\"...\") or required(...), found {name.Describe()}");
        }

        Take();
        var words = wrapper.ToString();
        var required = words.StartsWith("required(", StringComparison.Ordinal);
        var kind = required ? words["required(".Length..] : words;
        if (kind is not ("" or "file(" or "url(" or "classpath("))
        {
            throw Error(include, $"unknown include form '{words}'; use include \"name\", file(\"...\"), url(\"...\"), classpath(\"...\") or required(...)");
        }

        var closing = (required ? 1 : 0) + (kind.Length > 0 ? 1 : 0);
        var closed = new StringBuilder();
        while (closed.Length < closing)
        {
            var token = Peek();
            if (token.Kind is TokenKind.Whitespace or TokenKind.Newline)
            {
                Take();
            }
            else if (token.Kind == TokenKind.UnquotedText && token.Text.All(c => c == ')'))
            {
                closed.Append(Take().Text);
            }
            else
            {
                break;
            }
        }

        if (closed.ToString() != new string(')', closing))
        {
            throw Error(Peek(), $"expected {new string(')', closing)} to close the include, found {Peek().Describe()}");
        }

        if (kind is "url(" or "classpath(")
        {
            throw Error(include, $"{kind.TrimEnd('(')}() includes are not supported; include a file instead, e.g. include file(\"name.conf\")");
        }

        var included = LoadInclude(include, name.Text, required, path);
        foreach (var (key, value) in included)
        {
            fields.Add(key, value, included.KeyOrigin(key));
        }
    }

    private ConfigObject LoadInclude(Token at, string name, bool required, ConfigPath? path)
    {
        if (UrlScheme().IsMatch(name))
        {
            if (!name.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(name, UriKind.Absolute, out var uri))
            {
                throw Error(at, $"URL includes are not supported (\"{name}\"); include a file instead");
            }

            name = uri.LocalPath;
        }

        string file;
        if (Path.IsPathRooted(name))
        {
            file = name;
        }
        else if (_context.BaseDirectory is null)
        {
            throw Error(at, $"cannot include \"{name}\": a relative include needs the including file's directory, and this configuration was not read from a file");
        }
        else
        {
            file = Path.Combine(_context.BaseDirectory, name);
        }

        // Without a known extension every format is tried and all found are merged, HOCON last (spec, "file formats and extensions").
        var candidates = KnownExtensions.Contains(Path.GetExtension(file).ToLowerInvariant())
            ? [file]
            : KnownExtensions.Select(ext => file + ext).ToArray();
        var found = candidates.Where(File.Exists).ToList();
        if (found.Count == 0)
        {
            return required
                ? throw Error(at, $"required include \"{name}\" not found (looked for {string.Join(", ", candidates)})")
                : ConfigObject.Empty;
        }

        ConfigValue merged = ConfigObject.Empty;
        var prefix = path is null ? _context.Prefix : _context.Prefix.Concat(path);
        foreach (var candidate in found)
        {
            merged = Merger.Merge(merged, ParseIncluded(at, candidate, prefix));
        }

        return (ConfigObject)merged;
    }

    private ConfigObject ParseIncluded(Token at, string file, ConfigPath prefix)
    {
        var full = Path.GetFullPath(file);
        if (_context.IncludeChain.Contains(full))
        {
            throw Error(at, $"include cycle: {string.Join(" -> ", _context.IncludeChain.Select(Path.GetFileName))} -> {Path.GetFileName(full)}");
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read included file '{file}': {e.Message}", at.Origin, null, e);
        }

        var context = new ParseContext(file, Path.GetDirectoryName(full), ParseContext.SyntaxOf(file), prefix, [.. _context.IncludeChain, full], _depth + 1);
        if (context.Depth > Guard.MaxDepth)
        {
            throw Error(at, $"nesting too deep: more than {Guard.MaxDepth} levels of objects, arrays and includes");
        }

        return Parse(text, context);
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]+:")]
    private static partial Regex UrlScheme();
}
