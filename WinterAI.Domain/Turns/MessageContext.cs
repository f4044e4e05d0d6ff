namespace WinterAI.Domain.Turns;

/// <summary>
/// What the channel knows about a message besides its content, for the Dify app's inputs (<c>Dify:Inputs</c>).
/// Each is null when the channel or the message has none.
/// </summary>
/// <param name="Channel">Overrides the follower's channel name (the chat page answers for the official account's followers).</param>
/// <param name="User">The sender when it is not the follower's id (a member of a WeCom robot group).</param>
/// <param name="Group">The WeCom robot group's chat id.</param>
/// <param name="MessageType">The platform's message type: <c>text</c>, <c>voice</c>, <c>event</c>, <c>mixed</c>, …</param>
/// <param name="MenuKey">The key of the menu button pressed.</param>
/// <param name="Scene">The QR code's scene the follower subscribed or scanned with, <c>qrscene_</c> stripped.</param>
public sealed record MessageContext(
    string? Channel = null,
    string? User = null,
    string? Group = null,
    string? MessageType = null,
    string? MenuKey = null,
    string? Scene = null)
{
    public static readonly MessageContext None = new();

    /// <summary>The scene of a subscribe or SCAN event's EventKey: <c>qrscene_123</c> (subscribe) or <c>123</c> (SCAN).</summary>
    public static string? SceneOf(string? eventKey)
    {
        const string prefix = "qrscene_";
        var scene = eventKey is not null && eventKey.StartsWith(prefix, StringComparison.Ordinal) ? eventKey[prefix.Length..] : eventKey;
        return string.IsNullOrWhiteSpace(scene) ? null : scene;
    }
}
