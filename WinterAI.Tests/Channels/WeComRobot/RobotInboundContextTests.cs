using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>What a robot message tells the Dify app's inputs: in a group, the group and the member who wrote.</summary>
public sealed class RobotInboundContextTests
{
    [Test]
    public void AGroupMessageCarriesTheGroupAndTheMember()
    {
        var message = RobotMessage.Parse("""
            {"msgid": "m1", "chatid": "wr-group", "chattype": "group", "from": {"userid": "zhangsan"}, "msgtype": "text", "text": {"content": "@bot hi"}}
            """);

        RobotInbound.InboundOf(message).Context.ShouldBe(new MessageContext(User: "zhangsan", Group: "wr-group", MessageType: "text"));
    }

    [Test]
    public void AOneToOneMessageHasNoGroup()
    {
        var message = RobotMessage.Parse("""
            {"msgid": "m2", "chattype": "single", "from": {"userid": "lisi"}, "msgtype": "text", "text": {"content": "hi"}}
            """);

        RobotInbound.InboundOf(message).Context.Group.ShouldBeNull();
    }
}
