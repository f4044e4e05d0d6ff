using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// Sends what a WeCom callback would otherwise have replied — the help text, the /clear confirmation, the
/// unsupported-type texts, pages fetched with <c>1</c> — through message/send, because the callback must answer
/// with an empty body. Each message gets its reply once however often WeCom delivers it, and the send runs in the
/// background so the callback answers at once.
/// </summary>
public sealed class WeComOutbox(
    IStateStore store,
    StoreKeys keys,
    WeComApiClient api,
    IOptions<RedisOptions> storeOptions,
    TimeProvider time,
    ILogger<WeComOutbox> log) : IHostedService
{
    private readonly BackgroundWork background = new(time);

    /// <summary>Claims the reply to <paramref name="messageKey"/> and, if this is the first delivery to claim it, sends it.</summary>
    public async Task ReplyAsync(Follower follower, string messageKey, string text, CancellationToken ct)
    {
        if (background.IsStopping)
        {
            log.LogInformation("Shutting down: a reply to a WeCom member was not sent.");
            return;
        }

        bool first;
        try
        {
            first = await store.SetIfAbsentAsync(keys.Replied(follower, messageKey), "1", storeOptions.Value.MessageTtl, ct);
        }
        catch (StoreUnavailableException)
        {
            // Cannot tell a retry from the first delivery; WeCom only retries when our 200 did not reach it, so send.
            first = true;
        }

        if (!first)
        {
            return;
        }

        if (!background.TryRun(stopping => SendAsync(follower, text, stopping)))
        {
            log.LogInformation("Shutting down: a reply to a WeCom member was not sent.");
        }
    }

    private async Task SendAsync(Follower follower, string text, CancellationToken ct)
    {
        try
        {
            await api.SendAsync(follower.Id, text, ct);
        }
        catch (PlatformApiException ex)
        {
            log.LogWarning("WeCom message/send refused a reply to a member (errcode {ErrCode}): {Reason}", ex.ErrorCode, ex.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogInformation("Shutting down: a reply to a WeCom member was not sent.");
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Sending a reply to a WeCom member failed.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lets running sends finish within the host's shutdown timeout, then cancels them.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => background.StopAsync(cancellationToken);
}
