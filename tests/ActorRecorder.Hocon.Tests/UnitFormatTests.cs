using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public class UnitFormatTests
{
    [Theory]
    [InlineData("250", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5", 15_000)]
    [InlineData("\"100 ns\"", 1)]
    [InlineData("500ns", 5)]
    [InlineData("10us", 100)]
    [InlineData("3 microseconds", 30)]
    [InlineData("20ms", 20 * TimeSpan.TicksPerMillisecond)]
    [InlineData("2 millis", 2 * TimeSpan.TicksPerMillisecond)]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("1.5 seconds", 15 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("2 minutes", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("3 hours", 3 * TimeSpan.TicksPerHour)]
    [InlineData("2d", 2 * TimeSpan.TicksPerDay)]
    [InlineData("1 day", TimeSpan.TicksPerDay)]
    [InlineData("\" 7s \"", 7 * TimeSpan.TicksPerSecond)]
    public void Duration_must_parse_number_and_unit(string value, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Hocon.Parse("d = " + value).GetTimeSpan("d"));
    }

    [Fact]
    public void Duration_infinite_must_map_to_infinite_timespan()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, Hocon.Parse("d = infinite").GetTimeSpan("d"));
    }

    [Theory]
    [InlineData("5S")]
    [InlineData("5 fortnights")]
    [InlineData("s")]
    [InlineData("5s5")]
    [InlineData("[1]")]
    [InlineData("true")]
    [InlineData("99999999999999d")]
    public void Duration_must_reject_bad_values_naming_the_path(string value)
    {
        var e = Assert.Throws<ConfigException>(() => Hocon.Parse("x { d = " + value + " }").GetTimeSpan("x.d"));

        Assert.Equal("x.d", e.Path);
        Assert.Equal(1, e.Line);
    }

    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("10B", 10L)]
    [InlineData("10 bytes", 10L)]
    [InlineData("1kB", 1000L)]
    [InlineData("1 kilobytes", 1000L)]
    [InlineData("2MB", 2_000_000L)]
    [InlineData("3GB", 3_000_000_000L)]
    [InlineData("1TB", 1_000_000_000_000L)]
    [InlineData("1K", 1024L)]
    [InlineData("1k", 1024L)]
    [InlineData("1Ki", 1024L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("2 kibibytes", 2048L)]
    [InlineData("1M", 1_048_576L)]
    [InlineData("1m", 1_048_576L)]
    [InlineData("1MiB", 1_048_576L)]
    [InlineData("1.5M", 1_572_864L)]
    [InlineData("1G", 1_073_741_824L)]
    [InlineData("1GiB", 1_073_741_824L)]
    [InlineData("1EiB", 1_152_921_504_606_846_976L)]
    public void Byte_size_must_use_powers_of_ten_and_two_as_specified(string value, long bytes)
    {
        Assert.Equal(bytes, Hocon.Parse("s = " + value).GetByteSize("s"));
    }

    [Theory]
    [InlineData("1kb")]
    [InlineData("1 furlongs")]
    [InlineData("1ZB")]
    [InlineData("1YiB")]
    public void Byte_size_must_reject_unknown_units_and_overflow(string value)
    {
        var e = Assert.Throws<ConfigException>(() => Hocon.Parse("s = " + value).GetByteSize("s"));

        Assert.Equal("s", e.Path);
    }
}
