using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.WeChat;

namespace WinterAI.Web.Admin;

/// <summary>Operator API. Every call needs the <c>X-Admin-Key</c> header (<c>Admin:ApiKey</c>).</summary>
[ApiController]
[Route("admin")]
[ServiceFilter<AdminKeyFilter>]
[Produces("application/json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized)]
public sealed class AdminController(
    FollowerInspector inspector,
    ConversationService conversation,
    AdminStats stats,
    EffectiveConfiguration configuration,
    IOptionsMonitor<WeChatOptions> weChat) : ControllerBase
{
    /// <summary>A follower's conversation id, recent turns with their pages, queued questions and quota use.</summary>
    /// <param name="openId">The follower's openid (WeCom: UserID).</param>
    /// <param name="account">The account id (default: the official account's AppID).</param>
    [HttpGet("followers/{openId}")]
    public async Task<FollowerState> GetFollower(string openId, [FromQuery] string? account, CancellationToken ct) =>
        await inspector.InspectAsync(Follower(openId, account), ct);

    /// <summary>Forgets the follower's conversation, exactly like the follower sending <c>/clear</c>.</summary>
    [HttpDelete("followers/{openId}/conversation")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> ClearConversation(string openId, [FromQuery] string? account, CancellationToken ct)
    {
        await conversation.ClearAsync(Follower(openId, account), ct);
        return NoContent();
    }

    /// <summary>Delivery outcomes, Dify latency percentiles, retries, 429s, circuit state and queue lengths since this instance started.</summary>
    [HttpGet("stats")]
    public StatsReport GetStats() => stats.Report();

    /// <summary>The effective configuration (defaults included); secrets show only whether they are set.</summary>
    [HttpGet("config")]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> GetConfiguration() => configuration.Report();

    private Follower Follower(string openId, string? account) => new(string.IsNullOrWhiteSpace(account) ? weChat.CurrentValue.AccountId : account, openId);
}
