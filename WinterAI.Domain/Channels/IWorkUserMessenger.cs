namespace WinterAI.Domain.Channels;

/// <summary>
/// Sends a markdown message to a member of the corp (a WeCom userid) through the corp's self-built app
/// (<c>message/send</c>), for channels of the same corp that cannot reach the member themselves — the robot, once its
/// <c>response_url</c> is spent. It lives here so that such a channel need not know the WeCom app's folder.
/// </summary>
public interface IWorkUserMessenger
{
    /// <summary>False while the WeCom app is not configured: nothing can be sent.</summary>
    bool IsAvailable { get; }

    /// <summary>The most one message may carry, in UTF-8 bytes (WeCom truncates longer content).</summary>
    int MaxMarkdownBytes { get; }

    /// <summary>Sends one markdown message of at most <see cref="MaxMarkdownBytes"/> to <paramref name="userId"/>.</summary>
    /// <exception cref="Protocol.Platform.PlatformApiException">WeCom refused the message or could not be reached.</exception>
    Task SendMarkdownAsync(string userId, string markdown, CancellationToken ct);
}
