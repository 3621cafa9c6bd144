namespace ActorRecorder.Engine.Settings;

/// <summary>Which event journal a node writes (config: <c>actor-recorder.persistence.journal</c>).</summary>
public enum JournalKind
{
    /// <summary>An embedded SQLite file: one node, nothing to install; the default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: required when several nodes share the channels.</summary>
    Postgres,
}
