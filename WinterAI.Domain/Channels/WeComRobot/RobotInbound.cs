using System.Text.RegularExpressions;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// How a robot message becomes a conversation's input, the same in webhook and long-connection mode: whose
/// conversation it continues and what it asks.
/// </summary>
public static partial class RobotInbound
{
    /// <summary>What a group conversation's follower id starts with; a single chat's follower id is the member's userid.</summary>
    public const string GroupPrefix = "group:";

    /// <summary>True for a conversation in a group chat, where only the robot can post (not the WeCom app).</summary>
    public static bool IsGroup(Follower follower) => follower.Id.StartsWith(GroupPrefix, StringComparison.Ordinal);

    /// <summary>In a group, each member's conversation in that group, or the group's one (<see cref="WeComRobotOptions.GroupContext"/>).</summary>
    public static Follower FollowerOf(RobotMessage message, WeComRobotOptions o)
    {
        if (!message.IsGroup || message.ChatId is not { Length: > 0 } chat)
        {
            return new Follower(o.AccountId, message.UserId);
        }

        return new Follower(o.AccountId, o.GroupContext == WeComRobotOptions.GroupWideContext ? $"{GroupPrefix}{chat}" : $"{GroupPrefix}{chat}:{message.UserId}");
    }

    public static Inbound InboundOf(RobotMessage message) => Content(message) with { Context = ContextOf(message) };

    /// <summary>What the Dify app's inputs may use: the message type, the sender, and in a group its chat id.</summary>
    public static MessageContext ContextOf(RobotMessage message) => new(
        User: message.UserId,
        Group: message.IsGroup && message.ChatId is { Length: > 0 } chat ? chat : null,
        MessageType: message.MsgType);

    private static Inbound Content(RobotMessage message)
    {
        var key = message.MsgId;
        var pictures = message.Images?.Select(i => Attachment.Image(i.Url, i.AesKey)).ToList();
        if (message.Text is not { } text)
        {
            return message.MsgType == "image" ? new Inbound.Image(key, pictures?.FirstOrDefault())
                : pictures is { Count: > 0 } ? new Inbound.Text(key, "", pictures)
                : new Inbound.Other(key, OtherKind.Unknown);
        }

        // In a group the robot is @-mentioned; the mention is not part of the question.
        var question = message.IsGroup ? Mention().Replace(text, "").Trim() : text.Trim();
        return message.Quote is { Length: > 0 } quote && question.Length > 0
            ? new Inbound.Text(key, $"> {quote.Replace("\n", "\n> ", StringComparison.Ordinal)}\n\n{question}", pictures)
            : new Inbound.Text(key, question, pictures);
    }

    [GeneratedRegex(@"@\S+\s?")]
    private static partial Regex Mention();
}
