using System.Globalization;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>What the <c>web</c> menu key and command answer: a signed, expiring link to the follower's own chat page.</summary>
public sealed class ChatLinks(IOptionsMonitor<ChatOptions> options, ChatLinkSigner signer, IOptionsMonitor<MessagesOptions> messages) : IChatPageLinks
{
    /// <summary>The page's route; the token travels in the query as <see cref="TokenParameter"/>.</summary>
    public const string PagePath = "/chat";

    public const string TokenParameter = "t";

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    public string ReplyFor(Follower follower)
    {
        var texts = messages.CurrentValue;
        if (!IsEnabled)
        {
            return texts.ChatNotConfigured;
        }

        if (!signer.TrySign(follower, out var token))
        {
            return texts.ChatLinkUnavailable;
        }

        var o = options.CurrentValue;
        return string.Format(CultureInfo.InvariantCulture, texts.ChatLink, $"{o.PublicBaseUrl.TrimEnd('/')}{PagePath}?{TokenParameter}={token}", Describe(o.LinkTtl));
    }

    /// <summary>A lifetime as a follower reads it: "1 天", "12 小时", "30 分钟".</summary>
    public static string Describe(TimeSpan ttl) =>
        ttl.TotalDays >= 1 && ttl.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(long)ttl.TotalDays} 天"
        : ttl.TotalHours >= 1 && ttl.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)ttl.TotalHours} 小时"
        : $"{Math.Max(1, (long)ttl.TotalMinutes)} 分钟";
}
