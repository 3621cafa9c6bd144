using Akka.Actor;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Delivery;

public sealed class UploaderActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static DeliverPart Request(long id, int worker) => new(id, worker,
        new DeliveryItem("demo", "s1", "title", DateTimeOffset.UnixEpoch, new PartInfo(1, "/parts/part-01.mp4", 1000, TimeSpan.FromSeconds(2), null, null, null), 1),
        "slow");

    [Fact(Timeout = 30_000)]
    public async Task A_stopped_uploader_must_cancel_its_upload_so_a_replaced_worker_never_completes_a_part()
    {
        var target = new BlockingTarget();
        var uploader = Sys.ActorOf(UploaderActor.Props(new Dictionary<string, IUploadTarget> { ["slow"] = target }, new SemaphoreSlim(4), EngineServices.Create()));
        uploader.Tell(Request(7, 1), TestActor);
        await target.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Watch(uploader);
        Sys.Stop(uploader);
        ExpectTerminated(uploader);

        Assert.True(await target.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)), "the upload saw its cancellation");
        // Whatever it still answers names its request and worker: the channel, which replaced the worker, drops it.
        if (ReceiveOne(TimeSpan.FromSeconds(1)) is { } late)
        {
            var failed = Assert.IsType<DeliveryFailed>(late);
            Assert.Equal((7, 1), (failed.RequestId, failed.Worker));
        }
    }

    [Fact]
    public void An_answer_must_name_the_request_and_the_worker()
    {
        var uploader = Sys.ActorOf(UploaderActor.Props(new Dictionary<string, IUploadTarget> { ["slow"] = new DoneTarget() }, new SemaphoreSlim(4), EngineServices.Create()));
        uploader.Tell(Request(9, 3), TestActor);
        var delivered = ExpectMsg<PartDelivered>(TimeSpan.FromSeconds(5));
        Assert.Equal((9, 3, 1, "slow", "done"), (delivered.RequestId, delivered.Worker, delivered.Part, delivered.Target, delivered.Location));
        uploader.Tell(Request(10, 3) with { Target = "nowhere" }, TestActor);
        Assert.True(ExpectMsg<DeliveryFailed>().Permanent);
    }

    private sealed class BlockingTarget : IUploadTarget
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "slow";

        public async Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return "never";
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult(true);
                throw;
            }
        }
    }

    private sealed class DoneTarget : IUploadTarget
    {
        public string Name => "slow";

        public Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken) => Task.FromResult("done");
    }
}
