using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Channels.OfficialAccount.Menus;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Web.Health;

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
    StoreDescription store,
    EffectiveConfiguration configuration,
    MenuPublisher menu,
    OfficialAccountEndpoint officialAccount,
    TimeProvider time,
    IOptionsMonitor<WeChatOptions> weChat,
    ChannelDirectory channels,
    DifyAppProfile difyApp,
    DifyReachability reachability,
    IOptions<DifyOptions> dify) : ControllerBase
{
    /// <summary>Every account this deployment knows, on or off, with its channel, route and Dify app (key redacted) and whether Dify answers.</summary>
    [HttpGet("accounts")]
    public async Task<IReadOnlyList<AccountReport>> GetAccounts(CancellationToken ct)
    {
        var o = dify.Value;
        var health = (await reachability.CheckHealthAsync(new HealthCheckContext(), ct)).Description ?? "unknown";
        var appType = (await difyApp.GetAppTypeAsync(ct)).Name();
        var app = new DifyAppReport(o.BaseUrl, o.IsConfigured, appType, health);
        return [.. channels.All.Select(c => new AccountReport(c.Account, c.Name, c.IsEnabled, c.CallbackPath, app))];
    }

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

    /// <summary>The store in use (kind, Redis endpoints), then delivery outcomes, Dify latency percentiles, retries, 429s, circuit state and queue lengths since this instance started.</summary>
    [HttpGet("stats")]
    public StatsReport GetStats() => stats.Report(store);

    /// <summary>The effective configuration (defaults included); secrets show only whether they are set.</summary>
    [HttpGet("config")]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> GetConfiguration() => configuration.Report();

    /// <summary>The configured menu, whether it meets WeChat's limits, and the document publishing would send.</summary>
    [HttpGet("menu")]
    public MenuReport GetMenu() => new(menu.Buttons, menu.Problems, menu.Document);

    /// <summary>Validates the menu against WeChat's limits (400 naming each problem) and publishes it through /cgi-bin/menu/create.</summary>
    [HttpPost("menu/publish")]
    [ProducesResponseType<MenuReport>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway)]
    public async Task<MenuReport> PublishMenu(CancellationToken ct)
    {
        await menu.PublishAsync(ct);
        return GetMenu();
    }

    /// <summary>
    /// Runs a message through the whole pipeline as the given follower — the same deliveries WeChat would make,
    /// reaching Dify and the follower's real state — and returns the exact body WeChat would receive for each.
    /// </summary>
    [HttpPost("simulate")]
    [ProducesResponseType<IReadOnlyList<SimulatedDelivery>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<IReadOnlyList<SimulatedDelivery>>> Simulate(SimulateRequest request, CancellationToken ct)
    {
        if (!officialAccount.IsEnabled)
        {
            return Problem(statusCode: StatusCodes.Status404NotFound, title: "The official-account channel is off", detail: "Set WeChat:Token to enable it.");
        }

        var accountName = weChat.CurrentValue.AccountId;
        return Ok(await officialAccount.SimulateAsync(request.ToXml(accountName, time.GetUtcNow()), ct));
    }

    private Follower Follower(string openId, string? account) => new(string.IsNullOrWhiteSpace(account) ? weChat.CurrentValue.AccountId : account, openId);
}
