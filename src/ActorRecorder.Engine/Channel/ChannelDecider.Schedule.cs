using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// Which broadcasts become sessions: the recording windows (<c>schedule</c>) and the title filters. Outside every window,
/// with no session open, the monitor sleeps (nothing is polled) and a timer wakes it when the next window opens; a window
/// that closes during a recording ends the session or lets it finish (<c>on-window-end</c>).
/// </summary>
public static partial class ChannelDecider
{
    /// <summary>The longest a window timer waits: a longer wait is re-armed then (a schedule repeats weekly anyway).</summary>
    private static readonly TimeSpan MaxWindowWait = TimeSpan.FromDays(1);

    /// <summary>Why a broadcast that is live now does not start a session; null when it does.</summary>
    private static string? SkipReason(DecisionBuilder d, LiveInfo live)
    {
        var recording = d.Settings!.Recording;
        if (d.R.StartRequested)
        {
            return null; // a start command records what the windows and filters would skip
        }
        if (recording.Windows is { } windows && !windows.IsOpen(d.Now))
        {
            return $"it is outside the recording windows {windows}; the next opens {windows.Describe(windows.NextChange(d.Now))}";
        }
        return TitleFilter.SkipReason(live.Title, recording.TitleInclude, recording.TitleExclude);
    }

    /// <summary>Journals a skipped broadcast once per reason; outside the windows the monitor then sleeps until one opens.</summary>
    private static void Skip(DecisionBuilder d, LiveInfo live, string reason)
    {
        if (d.R.Skipped != reason)
        {
            d.Set(r => r with { Skipped = reason });
            d.Emit(new BroadcastSkipped(live.Title, reason, d.Now));
            d.Do(new Log(LogLevel.Information, $"a broadcast is not recorded: {reason}"));
        }
        SleepOutsideWindows(d);
    }

    /// <summary>
    /// The monitor for these settings, or, when they have windows and none is open and no session is open, none until the
    /// next opens. Either way the window timer is armed.
    /// </summary>
    private static void MonitorPerSchedule(DecisionBuilder d, ChannelSettings settings)
    {
        if (settings.Recording.Windows is not { } windows)
        {
            d.Do(new CancelTimer("window"));
            d.Set(r => r with { Sleeping = false });
            d.Do(Monitor(settings));
            return;
        }
        ArmWindowTimer(d, windows);
        if (!windows.IsOpen(d.Now) && d.P.Current is null)
        {
            Sleep(d, windows);
            return;
        }
        d.Set(r => r with { Sleeping = false });
        d.Do(Monitor(settings));
    }

    private static void ArmWindowTimer(DecisionBuilder d, RecordingSchedule windows)
    {
        var wait = windows.NextChange(d.Now) - d.Now;
        d.Do(new StartTimer("window", new WindowEdge(), wait < MaxWindowWait ? wait : MaxWindowWait));
    }

    /// <summary>Outside every window with no session open: the monitor stops (its last answer is forgotten).</summary>
    private static void SleepOutsideWindows(DecisionBuilder d)
    {
        if (d.Settings?.Recording.Windows is { } windows && !windows.IsOpen(d.Now) && d.P.Current is null && !d.R.Sleeping)
        {
            Sleep(d, windows);
        }
    }

    private static void Sleep(DecisionBuilder d, RecordingSchedule windows)
    {
        if (!d.R.Sleeping)
        {
            d.Do(new Log(LogLevel.Information, $"no recording window is open: the platform is not polled until {windows.Describe(windows.NextChange(d.Now))}"));
        }
        d.Set(r => r with { Sleeping = true, Live = null, LiveNow = false, Announced = null });
        d.Do(new StopMonitor());
    }

    /// <summary>A window opened or closed (or the timer's longest wait ran out): the monitor wakes, or the open session ends or goes on.</summary>
    private static void WindowTurned(DecisionBuilder d)
    {
        if (d.Settings is not { } settings || settings.Recording.Windows is not { } windows || d.R.Lifecycle is not (Lifecycle.Active or Lifecycle.Adopting))
        {
            return;
        }
        ArmWindowTimer(d, windows);
        if (windows.IsOpen(d.Now))
        {
            if (d.R.Sleeping)
            {
                d.Set(r => r with { Sleeping = false, Skipped = null });
                d.Do(new Log(LogLevel.Information, "a recording window opened: the channel is checked at once"));
                d.Do(Monitor(settings)); // a new monitor checks at once
            }
            return;
        }
        if (d.P.Current is { } session)
        {
            if (settings.Recording.OnWindowEnd == WindowEnd.Stop)
            {
                EndOpenSession(d, "its recording window closed (on-window-end = stop)", pause: false);
            }
            else if (d.R.Sleeping is false)
            {
                d.Do(new Log(LogLevel.Information, $"the recording window closed: session {session.Id} is recorded to its end (on-window-end = finish)"));
            }
            return;
        }
        SleepOutsideWindows(d);
    }

    private static bool SameFilters(RecordingSettings a, RecordingSettings b) =>
        a.Schedule == b.Schedule && a.TimeZone == b.TimeZone && a.TitleInclude == b.TitleInclude && a.TitleExclude == b.TitleExclude;

    /// <summary>For the status: why the live broadcast is skipped, or, asleep, when the next window opens.</summary>
    public static string? SkipStatus(ChannelState state, DateTimeOffset now) =>
        state.Runtime.Skipped
        ?? (state.Runtime.Sleeping && state.Settings?.Recording.Windows is { } windows
            ? $"outside the recording windows {windows}; the next opens {windows.Describe(windows.NextChange(now))}"
            : null);
}
