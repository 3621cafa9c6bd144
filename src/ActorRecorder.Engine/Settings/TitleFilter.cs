using System.Text.RegularExpressions;

namespace ActorRecorder.Engine.Settings;

/// <summary>
/// Which broadcasts are recorded by their title (<c>recording.title-include</c> and <c>title-exclude</c>, regular
/// expressions, case-insensitive): one whose title matches the exclusion, or does not match the inclusion, is skipped.
/// </summary>
public static class TitleFilter
{
    /// <summary>A pattern runs at most this long on a title (a pathological pattern cannot stall the channel).</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Why a broadcast with <paramref name="title"/> is not recorded; null when it is.</summary>
    public static string? SkipReason(string? title, string include, string exclude)
    {
        if (exclude.Length > 0 && title is not null && Matches(title, exclude, onTimeout: false))
        {
            return $"its title '{title}' matches title-exclude /{exclude}/";
        }
        if (include.Length > 0)
        {
            if (title is null)
            {
                return $"its platform tells no title, and title-include /{include}/ wants one";
            }
            if (!Matches(title, include, onTimeout: true))
            {
                return $"its title '{title}' does not match title-include /{include}/";
            }
        }
        return null;
    }

    /// <summary>The reason <paramref name="pattern"/> is not a usable regular expression; null when it is.</summary>
    public static string? Invalid(string pattern)
    {
        try
        {
            _ = new Regex(pattern, Options, MatchTimeout);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"'{pattern}' is not a regular expression: {ex.Message}";
        }
    }

    /// <summary>A pattern that runs out of time gives <paramref name="onTimeout"/>: the broadcast is recorded rather than lost.</summary>
    private static bool Matches(string title, string pattern, bool onTimeout)
    {
        try
        {
            return Regex.IsMatch(title, pattern, Options, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return onTimeout;
        }
    }
}
