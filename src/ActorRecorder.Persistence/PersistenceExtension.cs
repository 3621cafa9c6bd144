using System.Runtime.CompilerServices;
using ActorRecorder.Actors;

namespace ActorRecorder.Persistence;

/// <summary>
/// Persistence for one actor system (Akka.NET's <c>Persistence</c> extension): where its persistent
/// actors find their journal, snapshot store and serializer. Set once per system with
/// <see cref="PersistenceSystemExtensions.UsePersistence"/> before the first persistent actor starts.
/// </summary>
public sealed class PersistenceExtension
{
    private static readonly ConditionalWeakTable<ActorSystem, PersistenceExtension> Extensions = new();

    private PersistenceExtension(ActorSystem system, PersistenceSettings settings)
    {
        System = system;
        Settings = settings;
    }

    public ActorSystem System { get; }

    public PersistenceSettings Settings { get; }

    /// <summary>The persistence of <paramref name="system"/>.</summary>
    /// <exception cref="InvalidOperationException">UsePersistence was not called for that system.</exception>
    public static PersistenceExtension Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Extensions.TryGetValue(system, out var extension)
            ? extension
            : throw new InvalidOperationException(
                $"Actor system [{system.Name}] has no persistence: call system.UsePersistence(settings) before starting persistent actors");
    }

    internal static PersistenceExtension Register(ActorSystem system, PersistenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var extension = new PersistenceExtension(system, settings);
        if (!Extensions.TryAdd(system, extension))
        {
            throw new InvalidOperationException($"Actor system [{system.Name}] already has persistence");
        }
        return extension;
    }
}

/// <summary>Sets up persistence on an actor system.</summary>
public static class PersistenceSystemExtensions
{
    /// <summary>Gives <paramref name="system"/>'s persistent actors their stores; call once per system.</summary>
    public static PersistenceExtension UsePersistence(this ActorSystem system, PersistenceSettings settings) =>
        PersistenceExtension.Register(system, settings);
}
