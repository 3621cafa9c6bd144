namespace ActorRecorder.Telegram.Tests;

public sealed class TelegramOptionsSpecs
{
    [Fact]
    public void ToString_must_mask_the_token()
    {
        var options = new TelegramOptions { BotToken = "123:secret-token" };

        Assert.DoesNotContain("secret-token", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("BotToken = ***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_must_refuse_an_HttpClient_with_a_finite_timeout()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() => new TelegramBotClient(http, new TelegramOptions { BotToken = "t" }));

        Assert.Contains("InfiniteTimeSpan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_must_name_the_invalid_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new TelegramOptions { BotToken = "t", MinThroughput = 0 }.Validate());

        Assert.Contains("MinThroughput", error.Message, StringComparison.Ordinal);
    }
}
