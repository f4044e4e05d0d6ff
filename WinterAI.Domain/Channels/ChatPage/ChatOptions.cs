using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>
/// The <c>Chat</c> configuration section: the H5 chat page followers open from the <c>web</c> menu key. The page is
/// off (<c>/chat</c> answers 404, the <c>web</c> key says so) while <see cref="SigningKey"/> is empty.
/// </summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>Shortest signing key accepted: 32 characters carry at least the 128 bits an HMAC key needs even when typed by hand.</summary>
    public const int MinSigningKeyLength = 32;

    /// <summary>
    /// Where followers reach WinterAI from the internet, e.g. <c>https://bot.example.com</c> (a path prefix is kept:
    /// links go to <c>{PublicBaseUrl}/chat</c>). Required when <see cref="SigningKey"/> is set.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>
    /// The HMAC-SHA256 key that signs chat links, at least <see cref="MinSigningKeyLength"/> characters (e.g.
    /// <c>openssl rand -base64 48</c>). Empty: the page is off. Changing it invalidates every link handed out.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>How long a link works after the follower asked for it. Default 1 day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Chat:LinkTtl must be between {1} and {2}.")]
    public TimeSpan LinkTtl { get; set; } = TimeSpan.FromDays(1);

    public bool IsEnabled => !string.IsNullOrEmpty(SigningKey);
}
