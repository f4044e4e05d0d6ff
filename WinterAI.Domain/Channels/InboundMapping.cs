using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels;

/// <summary>The XML channels (official account, WeCom app) map their wire messages to the turn engine's <see cref="Inbound"/> here.</summary>
public static class InboundMapping
{
    public static Inbound ToInbound(this InboundMessage message)
    {
        var key = message.DeduplicationKey;
        return message.Map(key) with { Context = message.Context() };
    }

    /// <summary>What the Dify app's inputs may use: the message type, the menu key, the QR code's scene.</summary>
    public static MessageContext Context(this InboundMessage message) => new(
        MessageType: message.MsgType,
        MenuKey: message is ClickEvent click ? click.EventKey : null,
        Scene: message switch
        {
            SubscribeEvent subscribe => MessageContext.SceneOf(subscribe.EventKey),
            ScanEvent scan => MessageContext.SceneOf(scan.EventKey),
            _ => null,
        });

    private static Inbound Map(this InboundMessage message, string key)
    {
        return message switch
        {
            TextMessage text => new Inbound.Text(key, text.Content),
            VoiceMessage voice => new Inbound.Voice(key, voice.Recognition, voice.MediaId.Length > 0 ? Attachment.Voice(voice.MediaId, voice.Format) : null),
            ImageMessage image => new Inbound.Image(key, image.MediaId.Length > 0 || image.PicUrl.Length > 0 ? Attachment.Image(image.MediaId, image.PicUrl) : null),
            VideoMessage => new Inbound.Other(key, OtherKind.Video),
            LocationMessage => new Inbound.Other(key, OtherKind.Location),
            LinkMessage => new Inbound.Other(key, OtherKind.Link),
            SubscribeEvent or EnterAgentEvent => new Inbound.Subscribed(key),
            ClickEvent click => new Inbound.MenuClick(key, click.EventKey),
            EventMessage => new Inbound.Other(key, OtherKind.Event),
            _ => new Inbound.Other(key, OtherKind.Unknown),
        };
    }
}
