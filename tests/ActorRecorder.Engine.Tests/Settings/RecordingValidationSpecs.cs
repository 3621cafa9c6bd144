namespace ActorRecorder.Engine.Tests.Settings;

public sealed class RecordingValidationSpecs
{
    [Theory]
    [InlineData("poll-interval = 500ms", "500ms", "poll-interval", "must be a duration of at least 1s (e.g. 30s, 2m), got 500ms")]
    [InlineData("poll-interval = infinite", "infinite", "poll-interval", "got infinite")]
    [InlineData("segment-duration = 0s", "0s", "segment-duration", "at least 1s (e.g. 30s, 2m), got 0s")]
    [InlineData("grace-period = -1s", "-1s", "grace-period", "at least 0s (e.g. 30s, 2m), got -1s")]
    [InlineData("stall-timeout = 999ms", "999ms", "stall-timeout", "at least 1s (e.g. 30s, 2m), got 999ms")]
    [InlineData("disk-check-interval = 0", "0", "disk-check-interval", "at least 1s (e.g. 30s, 2m), got 0s")]
    [InlineData("poll-interval = soon", "soon", "poll-interval", "expected a duration")]
    [InlineData("min-free-disk = -1", "-1", "min-free-disk", "must be a size of 0 or more")]
    [InlineData("min-free-disk = lots", "lots", "min-free-disk", "expected a size in bytes")]
    [InlineData("container = mp4", "mp4", "container", "unknown container 'mp4'; use one of ts, mkv, flv")]
    [InlineData("output-dir = \"\"", "\"\"", "output-dir", "must not be empty; expected a path")]
    [InlineData("ffmpeg-path = \" \"", "\" \"", "ffmpeg-path", "must not be empty; expected an executable name")]
    [InlineData("ffprobe-path = \"\"", "\"\"", "ffprobe-path", "must not be empty")]
    public void A_bad_global_recording_value_must_fail_at_its_position_naming_the_full_key(string line, string marker, string key, string reason)
    {
        var text = $"actor-recorder.recording {{\n  {line}\n}}\n";

        ConfigText.AssertRejected(text, marker, "actor-recorder.recording." + key, reason);
    }

    [Fact]
    public void A_recording_that_is_not_an_object_must_fail()
    {
        ConfigText.AssertRejected("actor-recorder.recording = 30s", "30s", "actor-recorder.recording", "expected an object");
    }

    [Fact]
    public void An_empty_data_dir_must_fail()
    {
        ConfigText.AssertRejected("actor-recorder.node.data-dir = \"\"", "\"\"", "actor-recorder.node.data-dir", "must not be empty");
    }

    [Fact]
    public void An_unknown_journal_must_fail_listing_the_valid_ones()
    {
        ConfigText.AssertRejected("actor-recorder.persistence.journal = mysql", "mysql",
            "actor-recorder.persistence.journal", "unknown journal 'mysql'; use sqlite or postgres");
    }

    [Fact]
    public void A_postgres_journal_without_a_connection_string_must_fail_at_the_journal_choice()
    {
        var text = """
            actor-recorder.persistence {
              journal = postgres
            }
            """;

        ConfigText.AssertRejected(text, "postgres", "actor-recorder.persistence.postgres.connection-string",
            "required when actor-recorder.persistence.journal = postgres");
    }

    [Fact]
    public void A_postgres_journal_with_a_blank_connection_string_must_fail_at_the_connection_string()
    {
        var text = """
            actor-recorder.persistence {
              journal = postgres
              postgres.connection-string = "  "
            }
            """;

        var ex = ConfigText.AssertRejected(text, "\"  \"", "actor-recorder.persistence.postgres.connection-string",
            "ACTORRECORDER_POSTGRES");
        Assert.Contains("Host=", ex.Reason);
    }
}
