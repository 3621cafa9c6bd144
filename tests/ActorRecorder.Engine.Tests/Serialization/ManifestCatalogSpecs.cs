using System.Text;
using System.Text.Json.Nodes;
using ActorRecorder.Engine.Serialization;

namespace ActorRecorder.Engine.Tests.Serialization;

public sealed class ManifestCatalogSpecs
{
    private sealed record OrderPlaced(string OrderId, int Quantity);

    private sealed record OrderPlacedV3(string OrderId, int Quantity, string Currency);

    private sealed record Unregistered(int X);

    [Fact]
    public void Catalog_must_round_trip_a_registered_event_under_its_stable_manifest()
    {
        var serializer = new ManifestCatalog().Register<OrderPlaced>("order-placed");
        var (manifest, payload) = serializer.Serialize(new OrderPlaced("o-1", 3));
        Assert.Equal("order-placed", manifest);
        Assert.DoesNotContain(nameof(OrderPlaced), manifest, StringComparison.Ordinal);
        Assert.Equal("{\"OrderId\":\"o-1\",\"Quantity\":3}", Encoding.UTF8.GetString(payload));
        Assert.Equal(new OrderPlaced("o-1", 3), serializer.Deserialize(manifest, payload));
    }

    [Fact]
    public void Catalog_must_refuse_an_unregistered_type_naming_it()
    {
        var serializer = new ManifestCatalog().Register<OrderPlaced>("order-placed");
        var ex = Assert.Throws<SerializationFailedException>(() => serializer.Serialize(new Unregistered(1)));
        Assert.Contains(nameof(Unregistered), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_must_fail_an_unknown_manifest_with_a_message_naming_it()
    {
        var serializer = new ManifestCatalog().Register<OrderPlaced>("order-placed");
        var ex = Assert.Throws<UnknownManifestException>(() => serializer.Deserialize("order-cancelled", "{}"u8));
        Assert.Equal("order-cancelled", ex.Manifest);
        Assert.Contains("[order-cancelled]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_must_upcast_a_retired_manifest_through_a_chain_of_upcasters()
    {
        var serializer = new ManifestCatalog()
            .Register<OrderPlacedV3>("order-placed.v3")
            .AddUpcaster("order-placed", json => ("order-placed.v2", new JsonObject { ["OrderId"] = json["id"]!.GetValue<string>(), ["Quantity"] = json["qty"]!.GetValue<int>() }))
            .AddUpcaster("order-placed.v2", json =>
            {
                json["Currency"] ??= "EUR";
                return ("order-placed.v3", json);
            });
        var upcast = serializer.Deserialize("order-placed", "{\"id\":\"o-7\",\"qty\":2}"u8);
        Assert.Equal(new OrderPlacedV3("o-7", 2, "EUR"), upcast);
        Assert.Equal(new OrderPlacedV3("o-8", 1, "USD"),
            serializer.Deserialize("order-placed.v2", "{\"OrderId\":\"o-8\",\"Quantity\":1,\"Currency\":\"USD\"}"u8));
    }

    [Fact]
    public void Catalog_must_detect_an_upcaster_cycle()
    {
        var serializer = new ManifestCatalog()
            .AddUpcaster("a", json => ("b", json))
            .AddUpcaster("b", json => ("a", json));
        var ex = Assert.Throws<SerializationFailedException>(() => serializer.Deserialize("a", "{}"u8));
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_must_refuse_conflicting_registrations_and_registration_after_first_use()
    {
        var serializer = new ManifestCatalog().Register<OrderPlaced>("order-placed");
        Assert.Throws<ArgumentException>(() => serializer.Register<OrderPlacedV3>("order-placed"));
        Assert.Throws<ArgumentException>(() => serializer.Register<OrderPlaced>("other"));
        Assert.Throws<ArgumentException>(() => serializer.AddUpcaster("order-placed", j => ("x", j)));
        Assert.Throws<ArgumentException>(() => serializer.Register<Unregistered>(" "));
        serializer.Serialize(new OrderPlaced("o", 1));
        Assert.Throws<InvalidOperationException>(() => serializer.Register<Unregistered>("late"));
    }

    [Fact]
    public void Catalog_must_report_json_that_does_not_fit_the_type_naming_the_manifest()
    {
        var serializer = new ManifestCatalog().Register<OrderPlaced>("order-placed");
        var ex = Assert.Throws<SerializationFailedException>(() => serializer.Deserialize("order-placed", "{\"Quantity\":\"many\"}"u8));
        Assert.Contains("[order-placed]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SerializationFailedException>(() => serializer.Deserialize("order-placed", "null"u8));
        Assert.Throws<SerializationFailedException>(() => serializer.Deserialize("order-placed", "{tor"u8));
    }
}
