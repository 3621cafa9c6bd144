using System.Security.Cryptography;
using ActorRecorder.Telegram.FakeServer;

namespace ActorRecorder.Telegram.Tests.Support;

/// <summary>A fake Bot API on loopback, a scratch directory, and clients pointed at the fake.</summary>
public abstract class BotApiTest : IAsyncLifetime
{
    public const string Token = "123456789:AAHfakeTokenFor-Tests_0123456789abc";

    private readonly List<HttpClient> _httpClients = [];

    protected FakeBotApi Fake { get; private set; } = null!;

    protected string Directory { get; } = Path.Combine(Path.GetTempPath(), "ar-telegram-" + Guid.NewGuid().ToString("N"));

    protected virtual long MaxUploadBytes => FakeBotApi.DefaultMaxUploadBytes;

    /// <summary>The clock of the fake and of every client: virtual in specs about durations (they advance it), else the system's.</summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Fake = await FakeBotApi.StartAsync(Token, MaxUploadBytes, Time);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var http in _httpClients)
            http.Dispose();
        await Fake.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    protected TelegramOptions Options(Func<TelegramOptions, TelegramOptions>? change = null)
    {
        var options = new TelegramOptions { ApiBaseUrl = Fake.BaseUrl, BotToken = Token, MinTimeout = TimeSpan.FromSeconds(20) };
        return change is null ? options : change(options);
    }

    protected TelegramBotClient Client(Func<TelegramOptions, TelegramOptions>? change = null)
    {
        var http = TelegramBotClient.CreateHttpClient();
        _httpClients.Add(http);
        return new TelegramBotClient(http, Options(change), Time);
    }

    /// <summary>A file of random bytes; returns its path and lower-case SHA-256.</summary>
    protected (string Path, string Sha256) RandomFile(string name, int size)
    {
        var path = Path.Combine(Directory, name);
        var bytes = RandomNumberGenerator.GetBytes(size);
        File.WriteAllBytes(path, bytes);
        return (path, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
