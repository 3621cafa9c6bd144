using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorRecorder.Engine.Settings;

/// <summary>One recording window: on <see cref="Days"/>, from <see cref="Start"/> to <see cref="End"/> (wall-clock times).</summary>
/// <param name="Days">The days the window starts on.</param>
/// <param name="End">Not after <see cref="Start"/>: the window ends the next day (<c>18:00-02:00</c>); equal: it lasts 24 hours.</param>
public sealed record RecordingWindow(IReadOnlySet<DayOfWeek> Days, TimeSpan Start, TimeSpan End)
{
    /// <summary>Whether the window holds the wall-clock moment <paramref name="local"/>.</summary>
    public bool Holds(DateTime local)
    {
        var time = local.TimeOfDay;
        if (End > Start)
        {
            return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        }
        return (Days.Contains(local.DayOfWeek) && time >= Start) || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < End);
    }
}

/// <summary>
/// When a channel may start recording (<c>recording.schedule</c> in <c>recording.timezone</c>): a broadcast that goes live
/// outside every window is skipped, and the channel does not poll its platform until the next window opens. Times are
/// wall-clock times of the zone: across a DST change a window keeps its clock times (an hour the clocks skip is not
/// in any window that day; an hour they repeat is in it both times).
/// </summary>
public sealed partial class RecordingSchedule
{
    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private RecordingSchedule(IReadOnlyList<RecordingWindow> windows, TimeZoneInfo zone, string text)
    {
        Windows = windows;
        Zone = zone;
        Text = text;
    }

    public IReadOnlyList<RecordingWindow> Windows { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The windows as written, normalised: <c>Mon-Fri 18:00-02:00, Sat,Sun 10:00-04:00</c>.</summary>
    public string Text { get; }

    /// <summary>Reads windows such as <c>Mon-Fri 18:00-02:00</c>, <c>Sat,Sun 10:00-04:00</c> or <c>daily 20:00-23:30</c>.</summary>
    /// <exception cref="FormatException">A window or the zone is not understood (the message says which and why).</exception>
    public static RecordingSchedule Parse(IReadOnlyList<string> windows, string timeZone)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"unknown time zone '{timeZone}'; use an IANA name such as Europe/Berlin, America/New_York or UTC");
        }
        if (windows.Count == 0)
        {
            throw new FormatException("names no window; use [] for none (always) or e.g. [\"Mon-Fri 18:00-02:00\"]");
        }
        var parsed = windows.Select(ParseWindow).ToList();
        return new RecordingSchedule(parsed, zone, string.Join(", ", windows.Select(w => w.Trim())));
    }

    /// <summary>Whether a window is open at <paramref name="at"/>.</summary>
    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone).DateTime;
        return Windows.Any(w => w.Holds(local));
    }

    /// <summary>
    /// The first moment after <paramref name="at"/> when <see cref="IsOpen"/> changes: a window opens, or the last open one
    /// closes. Eight days ahead at most (a schedule repeats weekly); past that, <paramref name="at"/> plus a week.
    /// </summary>
    public DateTimeOffset NextChange(DateTimeOffset at)
    {
        var open = IsOpen(at);
        var today = TimeZoneInfo.ConvertTime(at, Zone).Date;
        var edges = new SortedSet<DateTimeOffset>();
        for (var day = -1; day <= 8; day++)
        {
            var date = today.AddDays(day);
            foreach (var window in Windows)
            {
                edges.Add(Instant(date + window.Start));
                edges.Add(Instant(date + (window.End > window.Start ? window.End : window.End + TimeSpan.FromDays(1))));
            }
        }
        foreach (var edge in edges.Where(e => e > at))
        {
            if (IsOpen(edge) != open)
            {
                return edge;
            }
        }
        return at + TimeSpan.FromDays(7);
    }

    /// <summary>How a moment reads in the schedule's zone: <c>Mon 18:00 (Europe/Berlin)</c>.</summary>
    public string Describe(DateTimeOffset at) =>
        $"{TimeZoneInfo.ConvertTime(at, Zone).ToString("ddd HH:mm", CultureInfo.InvariantCulture)} ({Zone.Id})";

    public override string ToString() => $"{Text} ({Zone.Id})";

    /// <summary>The instant a wall-clock time names; a time the clocks skip (spring forward) is the first one after the gap.</summary>
    private DateTimeOffset Instant(DateTime local)
    {
        var time = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var step = 0; Zone.IsInvalidTime(time) && step < 24 * 4; step++)
        {
            time = time.AddMinutes(15);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(time, Zone), TimeSpan.Zero);
    }

    private static RecordingWindow ParseWindow(string text)
    {
        var match = WindowPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a window; write days and times, e.g. \"Mon-Fri 18:00-02:00\", \"Sat,Sun 10:00-04:00\" or \"daily 20:00-23:30\"");
        }
        var days = ParseDays(match.Groups["days"].Value, text);
        var start = ParseTime(match.Groups["start"].Value, text, allowMidnightEnd: false);
        var end = ParseTime(match.Groups["end"].Value, text, allowMidnightEnd: true);
        return new RecordingWindow(days, start, end == TimeSpan.FromDays(1) && start == TimeSpan.Zero ? TimeSpan.Zero : end);
    }

    private static HashSet<DayOfWeek> ParseDays(string text, string window)
    {
        var days = new HashSet<DayOfWeek>();
        if (text.Equals("daily", StringComparison.OrdinalIgnoreCase) || text == "*")
        {
            days.UnionWith(Enum.GetValues<DayOfWeek>());
            return days;
        }
        foreach (var part in text.Split(','))
        {
            var range = part.Split('-');
            var first = Day(range[0], window);
            var last = range.Length == 2 ? Day(range[1], window) : first;
            if (range.Length > 2)
            {
                throw new FormatException($"'{part}' in '{window}' is not a day or a range of days such as Mon-Fri");
            }
            for (var day = first; ; day = (DayOfWeek)(((int)day + 1) % 7))
            {
                days.Add(day);
                if (day == last)
                {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek Day(string text, string window)
    {
        var name = text.Trim().ToLowerInvariant();
        var index = Array.FindIndex(DayNames, d => name == d || name == d[..3]);
        return index >= 0 ? (DayOfWeek)index : throw new FormatException($"'{text.Trim()}' in '{window}' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or daily)");
    }

    private static TimeSpan ParseTime(string text, string window, bool allowMidnightEnd)
    {
        var parts = text.Split(':');
        var hours = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var minutes = int.Parse(parts[1], CultureInfo.InvariantCulture);
        if (minutes > 59 || hours > 24 || (hours == 24 && (minutes > 0 || !allowMidnightEnd)))
        {
            throw new FormatException($"'{text}' in '{window}' is not a time of day; use 00:00 to 23:59 (24:00 as an end)");
        }
        return new TimeSpan(hours, minutes, 0);
    }

    [GeneratedRegex(@"^(?<days>[A-Za-z*]+(?:\s*[-,]\s*[A-Za-z]+)*)\s+(?<start>\d{1,2}:\d{2})\s*-\s*(?<end>\d{1,2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex WindowPattern();
}
