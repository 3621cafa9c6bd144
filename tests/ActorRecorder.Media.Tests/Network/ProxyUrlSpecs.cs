using System.Net;
using ActorRecorder.Media.Network;

namespace ActorRecorder.Media.Tests.Network;

/// <summary>A proxy URL: what the tools get (in their environment), what is shown (password masked), what .NET's clients use.</summary>
public sealed class ProxyUrlSpecs
{
    [Fact]
    public void The_tools_must_get_the_whole_url_in_their_environment_and_no_exemption()
    {
        var proxy = ProxyUrl.Parse(" http://user:p%40ss@127.0.0.1:3128/ ");
        Assert.Equal("http://user:p%40ss@127.0.0.1:3128", proxy.Environment["http_proxy"]);
        Assert.Equal(proxy.Environment["http_proxy"], proxy.Environment["HTTPS_PROXY"]);
        Assert.Null(proxy.Environment["no_proxy"]);
        Assert.Equal(("user", "p@ss"), (proxy.Credential!.UserName, proxy.Credential.Password));
        Assert.Equal("http://user:********@127.0.0.1:3128", proxy.ToString());
        Assert.Equal("http://user@127.0.0.1:3128", proxy.Reference);
        Assert.Equal("http://127.0.0.1:3128", ProxyUrl.Parse("http://127.0.0.1:3128").ToString());
    }

    [Fact]
    public void Net_clients_must_send_even_loopback_requests_through_it_with_its_credentials()
    {
        var web = ProxyUrl.Parse("http://user:pw@127.0.0.1:3128").AsWebProxy();
        var loopback = new Uri("http://127.0.0.1:8080/live.m3u8");
        Assert.False(web.IsBypassed(loopback)); // a WebProxy would send loopback requests directly
        Assert.Equal(new Uri("http://127.0.0.1:3128/"), web.GetProxy(loopback));
        Assert.Equal("pw", ((NetworkCredential)web.Credentials!).Password);
    }

    [Fact]
    public void Equality_must_ignore_the_password_which_is_a_secret_not_part_of_the_setting()
    {
        Assert.Equal(ProxyUrl.Parse("http://u:one@h:1"), ProxyUrl.Parse("http://u:two@h:1"));
        Assert.NotEqual(ProxyUrl.Parse("http://u:one@h:1"), ProxyUrl.Parse("http://v:one@h:1"));
        Assert.NotEqual(ProxyUrl.Parse("http://h:1"), ProxyUrl.Parse("http://h:2"));
    }
}
