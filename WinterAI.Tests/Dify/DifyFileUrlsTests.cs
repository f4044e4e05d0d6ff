using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public sealed class DifyFileUrlsTests
{
    private const string Base = "https://dify.example.com/v1";

    [TestCase("/files/tools/a.png?sign=x", "https://dify.example.com/files/tools/a.png?sign=x")]
    [TestCase("https://dify.example.com/files/tools/a.png", "https://dify.example.com/files/tools/a.png")]
    [TestCase("  /files/x.png  ", "https://dify.example.com/files/x.png")]
    [TestCase("HTTPS://DIFY.EXAMPLE.COM:443/files/x.png", "https://dify.example.com/files/x.png")]
    public void ResolvesRelativeUrlsAgainstTheOriginAndKeepsThoseOnTheDifyHost(string url, string expected) =>
        DifyFileUrls.OnDifyHost(Base, url)!.AbsoluteUri.ShouldBe(expected);

    [TestCase("https://other.example.com/files/a.png")]
    [TestCase("https://dify.example.com.evil.test/files/a.png")]
    [TestCase("http://dify.example.com/files/a.png")]
    [TestCase("https://dify.example.com:8443/files/a.png")]
    [TestCase("https://user:pw@dify.example.com/files/a.png")]
    [TestCase("//169.254.169.254/latest/meta-data")]
    [TestCase("/\\169.254.169.254/x")]
    [TestCase("http://127.0.0.1/files/a.png")]
    [TestCase("file:///etc/passwd")]
    [TestCase("files/a.png")]
    [TestCase("")]
    public void RefusesEverythingElse(string url) => DifyFileUrls.OnDifyHost(Base, url).ShouldBeNull();

    [Test]
    public void AnInternalDifyBaseAllowsItsOwnHostAndPortOnly()
    {
        DifyFileUrls.OnDifyHost("http://api:5001/v1", "/files/a.png")!.AbsoluteUri.ShouldBe("http://api:5001/files/a.png");
        DifyFileUrls.OnDifyHost("http://api:5001/v1", "http://api:6379/").ShouldBeNull();
    }
}
