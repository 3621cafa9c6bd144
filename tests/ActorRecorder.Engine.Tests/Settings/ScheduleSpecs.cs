using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary>
/// Recording windows on explicit instants (no clock is read): windows across midnight, weekly wrap-around, and the two DST
/// changes of Europe/Berlin in 2026 (29 March: 02:00 → 03:00; 25 October: 03:00 → 02:00).
/// </summary>
public sealed class ScheduleSpecs
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private static readonly TimeSpan Cest = TimeSpan.FromHours(2);

    private static RecordingSchedule Berlin(params string[] windows) => RecordingSchedule.Parse(windows, "Europe/Berlin");

    [Fact]
    public void A_window_ending_after_midnight_must_hold_the_night_and_belong_to_the_day_it_starts()
    {
        var schedule = Berlin("Mon-Fri 18:00-02:00", "Sat,Sun 10:00-04:00");
        // 2026-12-04 is a Friday, 2026-12-05 a Saturday, 2026-12-07 a Monday.
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 12, 4, 23, 0, 0, Cet)));
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 12, 5, 1, 59, 0, Cet))); // Friday's window, on Saturday
        Assert.False(schedule.IsOpen(new DateTimeOffset(2026, 12, 5, 2, 0, 0, Cet)));
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 12, 7, 3, 59, 0, Cet))); // Sunday's window, on Monday
        Assert.False(schedule.IsOpen(new DateTimeOffset(2026, 12, 7, 17, 59, 0, Cet)));
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 12, 8, 1, 0, 0, Cet))); // Monday's window, on Tuesday
        Assert.False(schedule.IsOpen(new DateTimeOffset(2026, 12, 5, 9, 59, 0, Cet)));
    }

    [Fact]
    public void The_next_change_must_be_the_next_opening_or_the_last_closing()
    {
        var schedule = Berlin("Mon-Fri 18:00-02:00", "Sat,Sun 10:00-04:00");
        var fridayNight = new DateTimeOffset(2026, 12, 4, 23, 0, 0, Cet);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 2, 0, 0, Cet), schedule.NextChange(fridayNight));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 10, 0, 0, Cet), schedule.NextChange(new DateTimeOffset(2026, 12, 5, 2, 0, 0, Cet)));
        Assert.Equal("Sat 10:00 (Europe/Berlin)", schedule.Describe(schedule.NextChange(new DateTimeOffset(2026, 12, 5, 2, 0, 0, Cet))));
        // Overlapping windows (Sunday's to 04:00 and a Monday window from 03:00) close once, at the later end.
        var overlapping = Berlin("Sun 22:00-04:00", "Mon 03:00-05:00");
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 5, 0, 0, Cet), overlapping.NextChange(new DateTimeOffset(2026, 12, 7, 1, 0, 0, Cet)));
        // A weekly window seen just after it closed opens again a week later.
        var weekly = Berlin("Wed 20:00-21:00");
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 20, 0, 0, Cet), weekly.NextChange(new DateTimeOffset(2026, 12, 2, 21, 0, 0, Cet)));
    }

    [Fact]
    public void Across_the_spring_change_a_window_must_keep_its_clock_times_and_open_after_a_skipped_hour()
    {
        var schedule = Berlin("daily 20:00-02:30");
        var saturday = new DateTimeOffset(2026, 3, 28, 23, 0, 0, Cet);
        // 02:00-03:00 does not exist on 29 March: the window (to 02:30) ends when the clocks jump, at 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), schedule.NextChange(saturday));
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 3, 29, 1, 59, 0, Cet)));
        Assert.False(schedule.IsOpen(new DateTimeOffset(2026, 3, 29, 3, 0, 0, Cest)));
        // The evening window opens at 20:00 summer time: 18:00 UTC, an hour earlier in UTC than the day before.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 20, 0, 0, Cest), schedule.NextChange(new DateTimeOffset(2026, 3, 29, 3, 0, 0, Cest)));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 18, 0, 0, TimeSpan.Zero), schedule.NextChange(new DateTimeOffset(2026, 3, 29, 3, 0, 0, Cest)));
        // A window that starts in the skipped hour opens when the clocks jump.
        var inTheGap = Berlin("Sun 02:15-04:00");
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, Cest), inTheGap.NextChange(new DateTimeOffset(2026, 3, 29, 1, 0, 0, Cet)));
    }

    [Fact]
    public void Across_the_autumn_change_a_window_must_keep_its_clock_times_and_last_an_hour_longer()
    {
        var schedule = Berlin("Sat 22:00-06:00");
        var opens = new DateTimeOffset(2026, 10, 24, 22, 0, 0, Cest);
        var closes = schedule.NextChange(opens);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 6, 0, 0, Cet), closes);
        Assert.Equal(TimeSpan.FromHours(9), closes - opens); // eight clock hours, nine real ones
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 10, 25, 2, 30, 0, Cest)));
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 10, 25, 2, 30, 0, Cet))); // the repeated hour, both times
    }

    [Theory]
    [InlineData("Mon-Fri 18:00", "'Mon-Fri 18:00' is not a window; write days and times")]
    [InlineData("Mon-Fry 18:00-20:00", "'Fry' in 'Mon-Fry 18:00-20:00' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun (or daily)")]
    [InlineData("Mon 18:00-24:30", "'24:30' in 'Mon 18:00-24:30' is not a time of day; use 00:00 to 23:59 (24:00 as an end)")]
    [InlineData("Mon 24:00-02:00", "'24:00' in 'Mon 24:00-02:00' is not a time of day")]
    public void A_window_that_cannot_be_read_must_be_refused_with_why(string window, string reason) =>
        Assert.StartsWith(reason, Assert.Throws<FormatException>(() => Berlin(window)).Message);

    [Fact]
    public void Days_must_read_as_ranges_lists_full_names_and_daily_and_24_00_must_end_at_midnight()
    {
        var schedule = RecordingSchedule.Parse(["Fri-Mon 10:00-24:00", "wednesday 00:00-00:00"], "UTC");
        Assert.Equal(
            [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Friday, DayOfWeek.Saturday],
            schedule.Windows[0].Days.Order());
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 12, 7, 23, 59, 0, TimeSpan.Zero))); // Monday
        Assert.False(schedule.IsOpen(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero))); // Tuesday
        Assert.True(schedule.IsOpen(new DateTimeOffset(2026, 12, 9, 12, 0, 0, TimeSpan.Zero))); // all Wednesday
        Assert.Equal(7, RecordingSchedule.Parse(["daily 20:00-21:00"], "UTC").Windows[0].Days.Count);
    }

    [Fact]
    public void Title_filters_must_exclude_first_match_case_insensitively_and_want_a_title_when_they_include()
    {
        Assert.Null(TitleFilter.SkipReason("Evening stream", "", ""));
        Assert.Equal("its title 'RERUN: yesterday' matches title-exclude /rerun|wiederholung/",
            TitleFilter.SkipReason("RERUN: yesterday", "", "rerun|wiederholung"));
        Assert.Equal("its title 'Just chatting' does not match title-include /speedrun/", TitleFilter.SkipReason("Just chatting", "speedrun", ""));
        Assert.Equal("its platform tells no title, and title-include /speedrun/ wants one", TitleFilter.SkipReason(null, "speedrun", ""));
        Assert.Null(TitleFilter.SkipReason("Speedrun any%", "speedrun", "rerun"));
        Assert.NotNull(TitleFilter.SkipReason("Speedrun rerun", "speedrun", "rerun"));
    }

    [Fact]
    public void Settings_must_read_the_windows_per_channel_and_refuse_a_bad_one_zone_or_pattern_at_its_key()
    {
        var settings = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.recording { schedule = ["Mon-Fri 18:00-02:00"], timezone = "Europe/Berlin", on-window-end = stop }
            actor-recorder.channels = [
              { id = a, url = "https://x/a" }
              { id = b, url = "https://x/b", recording { schedule = [], title-exclude = "rerun" } }
            ]
            """));
        Assert.Equal("Mon-Fri 18:00-02:00 (Europe/Berlin)", settings.Channels[0].Recording.Windows!.ToString());
        Assert.Equal(WindowEnd.Stop, settings.Channels[0].Recording.OnWindowEnd);
        Assert.Null(settings.Channels[1].Recording.Windows);
        Assert.Equal("rerun", settings.Channels[1].Recording.TitleExclude);

        ConfigText.AssertRejected("actor-recorder.recording.schedule = [\"Mon-Fri 18:00\"]", "[\"Mon-Fri", "actor-recorder.recording.schedule",
            "'Mon-Fri 18:00' is not a window; write days and times, e.g. \"Mon-Fri 18:00-02:00\", \"Sat,Sun 10:00-04:00\" or \"daily 20:00-23:30\"");
        ConfigText.AssertRejected("actor-recorder.recording.timezone = Mars/Olympus", "Mars", "actor-recorder.recording.timezone",
            "unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Berlin, America/New_York or UTC");
        ConfigText.AssertRejected("actor-recorder.recording.on-window-end = pause", "pause", "actor-recorder.recording.on-window-end",
            "'pause' is not allowed; use finish (record the broadcast to its end) or stop");
        var bad = Assert.Throws<Hocon.ConfigException>(() => EngineSettings.Load(ConfigText.Parse("actor-recorder.recording.title-include = \"(unclosed\"")));
        Assert.Equal("actor-recorder.recording.title-include", bad.Path);
        Assert.Contains("'(unclosed' is not a regular expression", bad.Message);
    }
}
