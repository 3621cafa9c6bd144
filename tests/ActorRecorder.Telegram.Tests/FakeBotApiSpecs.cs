using System.Net;
using System.Text.Json;
using ActorRecorder.Telegram.FakeServer;
using ActorRecorder.Telegram.Tests.Support;

namespace ActorRecorder.Telegram.Tests;

/// <summary>The fake itself, spoken to in raw HTTP: its answers must be what Telegram answers.</summary>
public sealed class FakeBotApiSpecs : BotApiTest
{
    private readonly HttpClient _http = new();

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_token_must_get_Telegrams_401_body()
    {
        using var response = await _http.PostAsync($"{Fake.BaseUrl}/bot1:wrong/getMe", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"ok":false,"error_code":401,"description":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_method_must_get_a_404_envelope()
    {
        var (status, body) = await PostAsync("sendHologram", new MultipartFormDataContent());

        Assert.Equal(404, status);
        Assert.Equal("Not Found: method not found", body.GetProperty("description").GetString());
        Assert.False(body.GetProperty("ok").GetBoolean());
    }

    [Fact(Timeout = 30_000)]
    public async Task SendVideo_without_chat_id_or_video_must_get_400_with_Telegrams_description()
    {
        var (_, noChat) = await PostAsync("sendVideo", Form(("video", "x")));
        var (status, noVideo) = await PostAsync("sendVideo", Form(("chat_id", "-100")));

        Assert.Equal("Bad Request: chat_id is empty", noChat.GetProperty("description").GetString());
        Assert.Equal(400, status);
        Assert.Equal("Bad Request: there is no video in the request", noVideo.GetProperty("description").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task SendVideo_with_a_long_caption_a_missing_thumbnail_part_or_a_missing_local_file_must_get_400()
    {
        var (video, _) = RandomFile("v.mp4", 100);

        var (_, caption) = await PostAsync("sendVideo", Form(("chat_id", "-100"), ("caption", new string('c', 1025)), ("video", "file://" + video)));
        var (_, thumbnail) = await PostAsync("sendVideo", Form(("chat_id", "-100"), ("thumbnail", "attach://thumb"), ("video", "file://" + video)));
        var (_, local) = await PostAsync("sendVideo", Form(("chat_id", "-100"), ("video", "file:///no/such/file.mp4")));

        Assert.Equal("Bad Request: message caption is too long", caption.GetProperty("description").GetString());
        Assert.Contains("\"thumb\"", thumbnail.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Bad Request: invalid file HTTP URL specified", local.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Empty(Fake.Received);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_body_above_the_limit_must_get_Telegrams_413_body()
    {
        await using var small = await FakeBotApi.StartAsync(Token, maxUploadBytes: 1000);
        using var content = new ByteArrayContent(new byte[5000]);
        content.Headers.ContentType = new("application/octet-stream");

        using var response = await _http.PostAsync($"{small.BaseUrl}/bot{Token}/sendVideo", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"ok":false,"error_code":413,"description":"Request Entity Too Large"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_malformed_body_must_get_400_not_a_crash()
    {
        using var content = new StringContent("{\"chat_id\": ", System.Text.Encoding.UTF8, "application/json");

        var (status, body) = await PostAsync("sendMessage", content);

        Assert.Equal(400, status);
        Assert.Equal("Bad Request: can't parse request body", body.GetProperty("description").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task SendMessage_must_accept_an_urlencoded_form_like_curl_sends()
    {
        using var form = new FormUrlEncodedContent([new("chat_id", "@recordings"), new("text", "hi")]);

        var (status, body) = await PostAsync("sendMessage", form);

        Assert.Equal(200, status);
        Assert.Equal("channel", body.GetProperty("result").GetProperty("chat").GetProperty("type").GetString());
        Assert.Equal("@recordings", Assert.Single(Fake.Received).ChatId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Faults_must_apply_in_order_to_their_method_only()
    {
        Fake.Enqueue("sendMessage", Fault.TooManyRequests(3));
        Fake.Enqueue("sendMessage", Fault.Forbidden());

        var (getMe, _) = await PostAsync("getMe", null);
        var (first, limited) = await PostAsync("sendMessage", Form(("chat_id", "1"), ("text", "a")));
        var (second, _) = await PostAsync("sendMessage", Form(("chat_id", "1"), ("text", "a")));
        var (third, _) = await PostAsync("sendMessage", Form(("chat_id", "1"), ("text", "a")));

        Assert.Equal([200, 429, 403, 200], [getMe, first, second, third]);
        Assert.Equal(3, limited.GetProperty("parameters").GetProperty("retry_after").GetInt32());
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        return form;
    }

    private async Task<(int Status, JsonElement Body)> PostAsync(string method, HttpContent? content)
    {
        using (content)
        {
            using var response = await _http.PostAsync($"{Fake.BaseUrl}/bot{Token}/{method}", content);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return ((int)response.StatusCode, json.RootElement.Clone());
        }
    }
}
