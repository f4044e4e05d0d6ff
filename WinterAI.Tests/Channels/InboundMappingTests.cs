using WinterAI.Domain.Channels;
using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Channels;

/// <summary>What the XML channels tell the Dify app's inputs about a message.</summary>
public sealed class InboundMappingTests
{
    private static T Message<T>(T message) where T : InboundMessage => message;

    [Test]
    public void ATextCarriesItsMessageType()
    {
        var inbound = Message(new TextMessage("hi") { ToUserName = "gh", FromUserName = "o", CreateTime = 1, MsgType = "text", MsgId = "9" }).ToInbound();

        inbound.ShouldBe(new Inbound.Text("9", "hi") { Context = new MessageContext(MessageType: "text") });
    }

    [Test]
    public void AMenuClickCarriesItsKey() =>
        Message(new ClickEvent("law") { ToUserName = "gh", FromUserName = "o", CreateTime = 1, MsgType = "event" }).ToInbound()
            .Context.ShouldBe(new MessageContext(MessageType: "event", MenuKey: "law"));

    [TestCase("qrscene_spring-fair", "spring-fair")]
    [TestCase("qrscene_", null)]
    [TestCase(null, null)]
    public void ASubscriptionCarriesTheQrCodesScene(string? eventKey, string? scene) =>
        Message(new SubscribeEvent(eventKey, "ticket") { ToUserName = "gh", FromUserName = "o", CreateTime = 1, MsgType = "event" }).ToInbound()
            .Context.Scene.ShouldBe(scene);

    [Test]
    public void AScanOfAFollowerCarriesTheSceneAsItIs() =>
        Message(new ScanEvent("42", "ticket") { ToUserName = "gh", FromUserName = "o", CreateTime = 1, MsgType = "event" }).ToInbound()
            .Context.Scene.ShouldBe("42");
}
