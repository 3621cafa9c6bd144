using System.Text;
using System.Text.Json.Nodes;
using ActorRecorder.Engine.Serialization;

namespace ActorRecorder.Engine.Tests.Serialization;

/// <summary>
/// The event schema, pinned: one stored payload per manifest (Payloads/&lt;manifest&gt;.json), written by the release
/// that introduced the manifest and never regenerated. Each must still read, strictly, as the value it was written from,
/// so a renamed, removed or retyped field fails here instead of replaying a user's journal into a state nobody wrote.
/// A new manifest brings its payload; a changed shape gets a new manifest and an upcaster from the old one.
/// </summary>
public sealed class PinnedPayloadSpecs
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Serialization", "Payloads");

    public static TheoryData<string> Manifests() => [.. RecorderMessages.Catalog.Manifests.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_manifest_must_have_a_stored_payload_and_every_stored_payload_a_manifest()
    {
        var stored = Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);
        Assert.Equal(RecorderMessages.Catalog.Manifests.Order(StringComparer.Ordinal), stored);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void A_stored_payload_must_read_as_the_value_it_was_written_from(string manifest)
    {
        var value = RecorderMessages.Catalog.Deserialize(manifest, Stored(manifest));

        var expected = Expected(manifest, RecorderSerializerSpecs.Samples().Single(s => s.GetType() == value.GetType()));
        Assert.Equal(Json(expected), Json(value));
    }

    [Theory]
    [InlineData("SessionId", "Session", "Session")] // a renamed field: unknown to the type
    [InlineData("StreamUrl", null, "StreamUrl")] // a missing constructor parameter
    [InlineData("Directory", "null", "Directory")] // null where the type says never
    public void A_payload_with_a_renamed_missing_or_null_field_must_be_refused_naming_it(string field, string? change, string named)
    {
        var json = JsonNode.Parse(Stored("channel.session-started.v1"))!.AsObject();
        var old = json[field];
        json.Remove(field);
        if (change == "null")
        {
            json[field] = null;
        }
        else if (change is not null)
        {
            json[change] = old;
        }

        var refused = Assert.Throws<SerializationFailedException>(() => RecorderMessages.Catalog.Deserialize("channel.session-started.v1", Encoding.UTF8.GetBytes(json.ToJsonString())));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.Contains("channel.session-started.v1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_must_keep_computed_values_out()
    {
        var snapshot = RecorderSerializerSpecs.Samples().OfType<Engine.Channel.PersistedState>().Single();
        var json = JsonNode.Parse(Json(snapshot))!;
        Assert.False(json["Current"]!.AsObject().ContainsKey("Bytes"));
        Assert.False(json["Current"]!.AsObject().ContainsKey("Files"));
    }

    /// <summary>The sample as the release that wrote <paramref name="manifest"/> knew it: what a later one added is at its default.</summary>
    private static object Expected(string manifest, object sample) => (manifest, sample) switch
    {
        ("channel.snapshot.v1", Engine.Channel.PersistedState state) => state with
        {
            Events = 0,
            History = [],
            Current = state.Current! with { FirstEvent = 0 },
            Processing = [.. state.Processing.Select(s => s with { FirstEvent = 0 })],
        },
        _ => sample,
    };

    private static byte[] Stored(string manifest) => File.ReadAllBytes(Path.Combine(Folder, manifest + ".json"));

    private static string Json(object value) => Encoding.UTF8.GetString(RecorderMessages.Catalog.Serialize(value).Payload);
}
