using ActorRecorder.Persistence.Journal;

namespace ActorRecorder.Persistence.Tests.Journal;

public sealed class MemoryJournalSpecs : JournalSpec
{
    protected override Task<IJournal> CreateJournalAsync() => Task.FromResult<IJournal>(new MemoryJournal());
}
