using System.Text;
using ActorRecorder.Persistence.Snapshot;

namespace ActorRecorder.Persistence.Tests.Snapshot;

/// <summary>The <see cref="ISnapshotStore"/> contract, run against every implementation.</summary>
public abstract class SnapshotStoreSpec : IAsyncLifetime
{
    private ISnapshotStore? _store;

    protected ISnapshotStore Store => _store ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<ISnapshotStore> CreateStoreAsync();

    protected virtual Task DisposeStoreAsync(ISnapshotStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }
    }

    private static SelectedSnapshot Snap(string pid, long seq, long timestamp = 0) =>
        new(new SnapshotMetadata(pid, seq, timestamp == 0 ? 1_700_000_000_000 + seq : timestamp), "state.v1",
            Encoding.UTF8.GetBytes($"{{\"at\":{seq}}}"));

    private async Task SaveAsync(string pid, params long[] seqs)
    {
        foreach (var seq in seqs)
        {
            await Store.SaveAsync(Snap(pid, seq));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Store_must_load_the_snapshot_with_the_highest_sequence_nr_intact()
    {
        await SaveAsync("a", 10, 30, 20);
        var loaded = await Store.LoadAsync("a", SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal(Snap("a", 30).Metadata, loaded.Metadata);
        Assert.Equal("state.v1", loaded.Manifest);
        Assert.Equal(Snap("a", 30).Snapshot, loaded.Snapshot);
    }

    [Fact(Timeout = 30_000)]
    public async Task Store_must_return_null_when_no_snapshot_matches()
    {
        Assert.Null(await Store.LoadAsync("nobody", SnapshotSelectionCriteria.Latest));
        await SaveAsync("b", 10);
        Assert.Null(await Store.LoadAsync("b", SnapshotSelectionCriteria.None));
        Assert.Null(await Store.LoadAsync("b", new SnapshotSelectionCriteria(9)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Store_must_respect_the_sequence_nr_and_timestamp_bounds()
    {
        await SaveAsync("c", 10, 20, 30);
        Assert.Equal(20, (await Store.LoadAsync("c", new SnapshotSelectionCriteria(25)))!.Metadata.SequenceNr);
        Assert.Equal(10, (await Store.LoadAsync("c", new SnapshotSelectionCriteria(long.MaxValue, 1_700_000_000_015)))!.Metadata.SequenceNr);
        Assert.Equal(20, (await Store.LoadAsync("c", new SnapshotSelectionCriteria(long.MaxValue, long.MaxValue, 15, 0) with { MaxSequenceNr = 20 }))!.Metadata.SequenceNr);
        Assert.Null(await Store.LoadAsync("c", new SnapshotSelectionCriteria(long.MaxValue, long.MaxValue, 31)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Store_must_replace_a_snapshot_saved_again_at_the_same_sequence_nr()
    {
        await Store.SaveAsync(Snap("d", 5, 1000));
        var replacement = Snap("d", 5, 2000) with { Snapshot = Encoding.UTF8.GetBytes("{\"v\":2}") };
        await Store.SaveAsync(replacement);
        var loaded = await Store.LoadAsync("d", SnapshotSelectionCriteria.Latest);
        Assert.Equal(replacement.Snapshot, loaded!.Snapshot);
        Assert.Equal(2000, loaded.Metadata.Timestamp);
    }

    [Fact(Timeout = 30_000)]
    public async Task Store_must_delete_one_snapshot_by_metadata()
    {
        await SaveAsync("e", 1, 2);
        await Store.DeleteAsync(new SnapshotMetadata("e", 2, 0));
        Assert.Equal(1, (await Store.LoadAsync("e", SnapshotSelectionCriteria.Latest))!.Metadata.SequenceNr);
        await Store.DeleteAsync(new SnapshotMetadata("e", 99, 0));
        Assert.NotNull(await Store.LoadAsync("e", SnapshotSelectionCriteria.Latest));
    }

    [Fact(Timeout = 30_000)]
    public async Task Store_must_delete_the_snapshots_matching_criteria_and_keep_other_ids()
    {
        await SaveAsync("f", 1, 2, 3);
        await SaveAsync("g", 1, 2, 3);
        await Store.DeleteAsync("f", new SnapshotSelectionCriteria(2));
        Assert.Equal(3, (await Store.LoadAsync("f", SnapshotSelectionCriteria.Latest))!.Metadata.SequenceNr);
        Assert.Null(await Store.LoadAsync("f", new SnapshotSelectionCriteria(2)));
        await Store.DeleteAsync("f", SnapshotSelectionCriteria.Latest);
        Assert.Null(await Store.LoadAsync("f", SnapshotSelectionCriteria.Latest));
        Assert.Equal(3, (await Store.LoadAsync("g", SnapshotSelectionCriteria.Latest))!.Metadata.SequenceNr);
    }
}
