using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels;

/// <summary>The XML channels (official account, WeCom app) map their wire messages to the turn engine's <see cref="Inbound"/> here.</summary>
public static class InboundMapping
{
    public static Inbound ToInbound(this InboundMessage message)
    {
        var key = message.DeduplicationKey;
        return message switch
        {
            TextMessage text => new Inbound.Text(key, text.Content),
            VoiceMessage voice => new Inbound.Voice(key, voice.Recognition),
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
