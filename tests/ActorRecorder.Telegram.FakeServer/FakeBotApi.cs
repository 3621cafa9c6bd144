using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRecorder.Telegram.FakeServer;

/// <summary>
/// A fake Telegram Bot API on Kestrel, bound to 127.0.0.1 on a free port. It answers <c>POST /bot{token}/{method}</c> for
/// sendVideo, sendMediaGroup, sendMessage (with replies), editMessageText, deleteMessage, copyMessages, getUpdates (linked
/// discussion groups' automatic forwards) and getMe with the real envelope and validation, streams uploads (hashing them,
/// never holding them in memory), enforces an upload size limit with 413, and applies scripted <see cref="Fault"/>s.
/// </summary>
/// <remarks>Thread-safe. Dispose stops the server and releases stalled requests.</remarks>
public sealed partial class FakeBotApi : IAsyncDisposable
{
    /// <summary>The cloud Bot API's upload limit.</summary>
    public const long DefaultMaxUploadBytes = 50L * 1024 * 1024;

    private readonly string _token;
    private readonly long _maxUploadBytes;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private long _mediaGroups;
    private readonly Dictionary<string, Queue<Fault>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RecurringFault> _recurring = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(Func<ReceivedRequest, bool> Match, TaskCompletionSource<ReceivedRequest> Done)> _waiters = [];
    private readonly List<ReceivedRequest> _received = [];
    private readonly List<RequestArrival> _arrivals = [];
    private readonly Dictionary<string, long> _lastMessageId = [];
    private readonly Dictionary<(string Chat, long Id), string?> _messageTexts = [];
    private WebApplication? _app;

    private FakeBotApi(string token, long maxUploadBytes, TimeProvider time)
    {
        _token = token;
        _maxUploadBytes = maxUploadBytes;
        _time = time;
    }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:41234</c>: what <c>TelegramOptions.ApiBaseUrl</c> takes.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Calls answered with <c>ok:true</c>, in the order they were answered.</summary>
    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (_lock)
                return [.. _received];
        }
    }

    /// <summary>Every request that reached a handler, with its arrival time, ordered by arrival.</summary>
    public IReadOnlyList<RequestArrival> Arrivals
    {
        get
        {
            lock (_lock)
                return [.. _arrivals.OrderBy(a => a.At)];
        }
    }

    /// <summary>Starts a fake accepting <paramref name="token"/>.</summary>
    /// <param name="token">The bot token it accepts; others get 401.</param>
    /// <param name="maxUploadBytes">Request bodies above this get 413 (50 MB like the cloud API; a local server allows 2,000 MB).</param>
    /// <param name="time">Clock for arrival times and stalls; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeBotApi> StartAsync(
        string token, long maxUploadBytes = DefaultMaxUploadBytes, TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var fake = new FakeBotApi(token, maxUploadBytes, time ?? TimeProvider.System);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            // The fake enforces its own limit (with a Telegram-like 413) and must accept throttled uploads.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
        });
        var app = builder.Build();
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        fake._app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel did not report its address.");
        fake.BaseUrl = addresses.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Scripts <paramref name="fault"/> for the next not yet faulted request to <paramref name="method"/>; faults of one method apply in order.</summary>
    public void Enqueue(string method, Fault fault)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(fault);
        lock (_lock)
        {
            if (!_faults.TryGetValue(method, out var queue))
                _faults[method] = queue = new Queue<Fault>();
            queue.Enqueue(fault);
        }
    }

    /// <summary>Scripts <paramref name="fault"/> for every <paramref name="every"/>-th request to <paramref name="method"/> (counted from now; a queued fault goes first).</summary>
    public void EveryNth(string method, int every, Fault fault)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        lock (_lock)
            _recurring[method] = new RecurringFault(every, fault);
    }

    /// <summary>Completes with the first answered request that matches (one answered already counts).</summary>
    public Task<ReceivedRequest> WaitForAsync(Func<ReceivedRequest, bool> match, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_received.FirstOrDefault(match) is { } already)
                return Task.FromResult(already);
            var done = new TaskCompletionSource<ReceivedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(timeout);
        }
    }

    /// <summary>Stops the server; stalled requests are released without an answer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    private void Store(ReceivedRequest request)
    {
        lock (_lock)
        {
            _received.Add(request);
            foreach (var waiter in _waiters.Where(w => w.Match(request)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(request);
            }
        }
        ForwardToDiscussion(request);
    }

    private sealed class RecurringFault(int every, Fault fault)
    {
        public int Every { get; } = every;
        public Fault Fault { get; } = fault;
        public int Count { get; set; }
    }

    private long NextMessageId(string chat)
    {
        lock (_lock)
        {
            var id = _lastMessageId.GetValueOrDefault(chat) + 1;
            _lastMessageId[chat] = id;
            return id;
        }
    }
}
