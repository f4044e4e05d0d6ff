using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using WinterAI.Tests.Fakes;
using WinterAI.Web.Controllers;

namespace WinterAI.Tests.Web.Logging;

/// <summary>
/// WinterAI as a real process started the way an operator might: from a directory other than its own
/// (<c>cd /tmp &amp;&amp; dotnet /app/WinterAI.Web.dll</c>), with logging turned all the way up.
/// </summary>
public sealed partial class CredentialFreeLogTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);
    private DirectoryInfo elsewhere = null!;

    [SetUp]
    public void CreateWorkingDirectory() => elsewhere = Directory.CreateTempSubdirectory("winterai-cwd-");

    [TearDown]
    public void RemoveWorkingDirectory() => elsewhere.Delete(recursive: true);

    [Test]
    public async Task NeitherAChatLinkTokenNorACallbackSignatureReachesTheLogEvenWithEverythingAtTrace()
    {
        var port = LoopbackPort.Free();
        await using var winterAI = await WinterAIProcess.StartAsync(new Dictionary<string, string?>(Account.Configuration())
        {
            ["Chat:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Chat:SigningKey"] = "log-test-signing-key-0123456789abcdef",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:Console:LogLevel:Default"] = "Trace",
        }, port, elsewhere.FullName);
        var client = winterAI.Client;
        var weChat = new FakeWeChat(client, Account);

        var token = LinkToken().Match(FakeWeChat.Shown(await weChat.SendTextAsync("o-log", "web")) ?? "").Groups[1].Value;
        using var page = await client.GetAsync($"/chat?t={token}");
        using var historyRequest = new HttpRequestMessage(HttpMethod.Get, "/chat/history") { Headers = { { ChatController.TokenHeader, token } } };
        using var history = await client.SendAsync(historyRequest);
        using var callback = weChat.BuildRequest(WeChatWire.TextMessageXml("o-log", WeChatAccount.Account, "/help", FakeWeChat.NewMsgId(), FakeWeChat.Now()));
        var signed = HttpUtility.ParseQueryString(callback.RequestUri!.OriginalString.Split('?')[1]);
        using var answered = await client.SendAsync(callback);
        var (timestamp, nonce, echo) = (FakeWeChat.Now().ToString(), "372801645", Guid.NewGuid().ToString("N"));
        var verifySignature = WeChatWire.Sign(Account.Token, timestamp, nonce);
        var verified = await client.GetStringAsync($"/wechat?signature={verifySignature}&timestamp={timestamp}&nonce={nonce}&echostr={echo}");
        await winterAI.StopGracefullyAsync(StopDeadline);

        token.ShouldNotBeEmpty();
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        history.StatusCode.ShouldBe(HttpStatusCode.OK);
        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        verified.ShouldBe(echo);
        var output = winterAI.Output;
        output.ShouldContain("Microsoft.AspNetCore.Server.Kestrel", customMessage: "the operator's Trace did not take effect, so the test proves nothing");
        foreach (var credential in new[] { token, token.Split('.')[1], signed["signature"]!, signed["msg_signature"]!, verifySignature, echo })
        {
            output.ShouldNotContain(credential);
        }
    }

    [Test]
    public async Task ReadsItsOwnAppSettingsWhenStartedFromAnotherDirectory()
    {
        await using var winterAI = await WinterAIProcess.StartAsync(Account.Configuration(), workingDirectory: elsewhere.FullName);

        // appsettings.json, and only it, switches the console to JSON lines.
        await Poll.UntilAsync(
            () => Task.FromResult(winterAI.Output.Split('\n').Any(line => line.StartsWith("{\"Timestamp\"", StringComparison.Ordinal) && line.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", StringComparison.Ordinal))),
            "the start-up lines are written in appsettings.json's JSON format");
    }

    [GeneratedRegex(@"/chat\?t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")]
    private static partial Regex LinkToken();
}
