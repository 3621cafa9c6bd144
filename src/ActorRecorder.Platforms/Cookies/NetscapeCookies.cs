using System.Globalization;

namespace ActorRecorder.Platforms.Cookies;

/// <summary>One cookie of a Netscape cookies file (the format browsers' exporters, yt-dlp and curl write).</summary>
public sealed record Cookie(string Domain, string Path, bool Secure, long Expires, string Name, string Value);

/// <summary>
/// Reads and checks Netscape cookies files: one cookie per line, seven tab-separated fields (domain, include-subdomains,
/// path, secure, expiry, name, value); lines starting with <c>#</c> are comments, except <c>#HttpOnly_</c> cookies. Errors
/// name the line, never its content: a cookie's value is a secret.
/// </summary>
public static class NetscapeCookies
{
    /// <exception cref="FormatException">The file is not a cookies file (the message names the line and what is wrong).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static IReadOnlyList<Cookie> Read(string path) => Parse(File.ReadAllLines(path));

    /// <exception cref="FormatException">Not a cookies file.</exception>
    public static IReadOnlyList<Cookie> Parse(IReadOnlyList<string> lines)
    {
        var cookies = new List<Cookie>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith("#HttpOnly_", StringComparison.Ordinal))
            {
                line = line["#HttpOnly_".Length..];
            }
            else if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var fields = line.Split('\t');
            if (fields.Length != 7)
            {
                throw new FormatException($"line {i + 1} is not a Netscape cookie: it has {fields.Length} tab-separated fields, not 7 (domain, subdomains, path, secure, expiry, name, value)");
            }
            if (fields[0].Length == 0 || fields[5].Length == 0)
            {
                throw new FormatException($"line {i + 1} is not a Netscape cookie: the {(fields[0].Length == 0 ? "domain" : "name")} is empty");
            }
            if (!Flag(fields[1], out _) || !Flag(fields[3], out var secure))
            {
                throw new FormatException($"line {i + 1} is not a Netscape cookie: fields 2 and 4 must be TRUE or FALSE");
            }
            if (!long.TryParse(fields[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expires))
            {
                throw new FormatException($"line {i + 1} is not a Netscape cookie: the expiry (field 5) is not a number");
            }
            cookies.Add(new Cookie(fields[0], fields[2], secure, expires, fields[5], fields[6]));
        }
        if (cookies.Count == 0)
        {
            throw new FormatException("it holds no cookie (a Netscape cookies file has one cookie per line, seven tab-separated fields)");
        }
        return cookies;
    }

    /// <summary>
    /// A private copy (0600, in the temp folder) of the cookies file for one tool run, deleted on dispose: the tool may
    /// write its jar back (yt-dlp does), and the user's file stays as it is.
    /// </summary>
    public static TempCookies CopyForRun(string path, Func<IReadOnlyList<Cookie>, string>? render = null)
    {
        var copy = Path.Combine(Path.GetTempPath(), "ar-cookies-" + Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(copy, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(render is null ? File.ReadAllText(path) : render(Read(path)));
        }
        return new TempCookies(copy);
    }

    private static bool Flag(string text, out bool value)
    {
        value = string.Equals(text, "TRUE", StringComparison.OrdinalIgnoreCase);
        return value || string.Equals(text, "FALSE", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A temporary cookies file, deleted on dispose.</summary>
public sealed class TempCookies(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => File.Delete(Path);
}
