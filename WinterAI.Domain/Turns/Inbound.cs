namespace WinterAI.Domain.Turns;

/// <summary>
/// A follower's message as the turn engine sees it, whatever channel and wire format it came in: each channel maps
/// its own messages and events to one of these.
/// </summary>
/// <param name="MessageKey">What identifies the message across the platform's retries (MsgId, or sender + time for events).</param>
public abstract record Inbound(string MessageKey)
{
    /// <summary>Facts about the message for the Dify app's inputs (type, menu key, scene, group).</summary>
    public MessageContext Context { get; init; } = MessageContext.None;

    /// <param name="Attachments">Pictures sent with the text (a robot's mixed message).</param>
    public sealed record Text(string MessageKey, string Content, IReadOnlyList<Attachment>? Attachments = null) : Inbound(MessageKey);

    /// <param name="Recognition">The platform's transcription, when it made one.</param>
    /// <param name="Recording">How to fetch the recording again, to transcribe it when there is no recognition; null when the channel cannot.</param>
    public sealed record Voice(string MessageKey, string? Recognition, Attachment? Recording = null) : Inbound(MessageKey);

    /// <param name="Picture">How to fetch the picture again; null when the channel cannot.</param>
    public sealed record Image(string MessageKey, Attachment? Picture = null) : Inbound(MessageKey);

    /// <summary>A menu button with a key was pressed.</summary>
    public sealed record MenuClick(string MessageKey, string Key) : Inbound(MessageKey);

    /// <summary>The follower subscribed, or entered the app: greet them.</summary>
    public sealed record Subscribed(string MessageKey) : Inbound(MessageKey);

    /// <summary>Anything else: a kind the turn engine answers with a fixed text, or not at all.</summary>
    public sealed record Other(string MessageKey, OtherKind Kind) : Inbound(MessageKey);
}
