using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using WinterAI.Tests.Fakes;
using WinterAI.Web;

namespace WinterAI.Tests.Web.Logging;

/// <summary>Untrusted text in a text log (simple, systemd) must not forge a line or reach the terminal as an escape sequence.</summary>
public sealed class ControlCharacterLogTests
{
    private const string Forged = "o-\r\n[fake] Information: nothing happened\u001b[31m";
    private static readonly WeChatAccount Account = WeChatAccount.Default;

    [Test]
    public async Task AMalformedCallbackQuotingAnEscapeCharacterIsLoggedEscapedByTheRealProcess()
    {
        await using var winterAI = await WinterAIProcess.StartAsync(new Dictionary<string, string?>(Account.Configuration())
        {
            ["WeChat:Mode"] = "plain",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
        });
        var (timestamp, nonce) = (FakeWeChat.Now().ToString(), "518273640");
        var url = $"/wechat?signature={WeChatWire.Sign(Account.Token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}";

        using var refused = await winterAI.Client.PostAsync(url, new StringContent($"<xml><FromUserName>{Forged}</FromUserName></xml>", Encoding.UTF8, "text/xml"));
        await Poll.UntilAsync(() => Task.FromResult(winterAI.Output.Contains("Refused a malformed callback", StringComparison.Ordinal)), "the refusal is logged");

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var output = winterAI.Output;
        output.ShouldNotContain("\u001b");
        output.ShouldContain("'\\u001B', hexadecimal value 0x1B");
    }

    [TestCase(ConsoleFormatterNames.Simple)]
    [TestCase(ConsoleFormatterNames.Systemd)]
    public async Task TheTextFormattersEscapeControlCharactersInTheMessageTheScopesAndTheException(string formatterName)
    {
        await using var app = WinterAIApplication.Build(["--environment", "Testing"], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:Console:FormatterName"] = formatterName,
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            // The formatter's own colours are escape sequences too; only injected ones are of interest here.
            ["Logging:Console:FormatterOptions:ColorBehavior"] = "Disabled",
        }));
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == formatterName);
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push($"Follower:{Forged}");
        var exception = Thrown(() => throw new InvalidOperationException($"Refused {Forged}", Thrown(() => throw new FormatException(Forged))));
        using var log = new StringWriter();

        formatter.Write(new LogEntry<string>(LogLevel.Warning, "WinterAI.Tests", new EventId(1), $"Follower {Forged} said {Forged}", exception, (state, _) => state), scopes, log);

        var text = log.ToString();
        text.Where(c => char.IsControl(c) && c != '\n').ShouldBeEmpty();
        text.Split('\n').ShouldNotContain(line => line.TrimStart().StartsWith("[fake]", StringComparison.Ordinal));
        text.ShouldContain("Follower o-\\r\\n[fake] Information: nothing happened\\u001B[31m said");
        text.ShouldContain("Follower:o-\\r\\n[fake]");
        text.ShouldContain("System.FormatException: o-\\r\\n[fake]");
        text.ShouldContain(nameof(Thrown), customMessage: "the stack trace is kept");
    }

    private static Exception Thrown(Action fail)
    {
        try
        {
            fail();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new InvalidOperationException("Expected the action to throw.");
    }
}
