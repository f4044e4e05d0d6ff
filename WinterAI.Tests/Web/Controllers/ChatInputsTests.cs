using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;
using WinterAI.Tests.Turns;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>The Dify app's inputs on the H5 page: the same values and sources as in WeChat, with the page's channel name.</summary>
public sealed class ChatInputsTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Parameters = InputsScenarioTests.WithForm(FakeDifyServer.DefaultParameters(imagesEnabled: false));
        var configuration = WinterAIHost.OfficialAccountWith(dify, chatPage: true);
        configuration["Chat:SigningKey"] = ChatControllerTests.SigningKey;
        InputsScenarioTests.MapInputs(configuration);
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private ChatPageClient Page(string openId) =>
        new(client, host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, openId)));

    [Test]
    public async Task APageQuestionWhileARequiredInputHasNoValueIsRefusedWithWhatToSet()
    {
        var events = await Page("o-page-missing").AskToEndAsync("hello");

        events.Single().Name.ShouldBe("refused");
        events.Single().Message.ShouldBe(string.Format(new MessagesOptions().InputsMissing, "- 公司名称：/set company 内容"));
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task APageQuestionCarriesTheValuesSetInWeChatAndThePagesChannel()
    {
        await new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync("o-page", "/set company 丙公司");

        var events = await Page("o-page").AskToEndAsync("hello");

        events[^1].Name.ShouldBe("finished");
        var inputs = InputsScenarioTests.InputsOf(dify.Calls.Single(c => c.Path.EndsWith("/chat-messages", StringComparison.Ordinal)));
        inputs["company"].ShouldBe("丙公司");
        inputs["via"].ShouldBe(ChatService.ChannelName);
        inputs["openid"].ShouldBe("o-page");
    }
}
