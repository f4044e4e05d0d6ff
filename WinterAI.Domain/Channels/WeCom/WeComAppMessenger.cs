using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// The WeCom app's <c>message/send</c> for other channels of the corp (<see cref="IWorkUserMessenger"/>): the same API
/// client, access token and busy retries as the app's own answers, always as markdown.
/// </summary>
public sealed class WeComAppMessenger(WeComApiClient api, IOptionsMonitor<WeComOptions> options) : IWorkUserMessenger
{
    /// <summary>message/send's limit on a markdown message's content.</summary>
    public const int MarkdownLimitBytes = 2048;

    public bool IsAvailable => options.CurrentValue.IsEnabled;

    public int MaxMarkdownBytes => MarkdownLimitBytes;

    public Task SendMarkdownAsync(string userId, string markdown, CancellationToken ct) =>
        api.SendAsync(userId, markdown, WeComMessageType.Markdown, ct);
}
