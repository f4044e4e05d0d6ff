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
    AnswerPictures pictures,
    IOptions<RedisOptions> storeOptions,
    TimeProvider time,
    ILogger<WeComOutbox> log) : IHostedService
{
    /// <summary>What the claim holds once WeCom took the reply: later deliveries of the message send nothing.</summary>
    public const string SentMark = "sent";

    private readonly BackgroundWork background = new(time);

    /// <summary>
    /// Claims the reply to <paramref name="messageKey"/> and, if this is the first delivery to claim it, sends it. The
    /// claim is a <see cref="StoreLease"/> while the send runs and becomes a lasting "sent" mark once WeCom took it: an
    /// instance that dies mid-send holds the claim for seconds, not for the message's lifetime, so WeCom's next
    /// delivery of the message sends the reply from another instance.
    /// </summary>
    /// <param name="image">A picture's page (fetched with <c>1</c>): sent as an image message, <paramref name="text"/> (its link) when it cannot be.</param>
    public async Task ReplyAsync(Follower follower, string messageKey, string text, CancellationToken ct, AnswerImage? image = null)
    {
        if (background.IsStopping)
        {
            log.LogInformation("Shutting down: a reply to a WeCom member was not sent.");
            return;
        }

        StoreLease? claim;
        try
        {
            claim = await StoreLease.TryTakeAsync(store, keys.Replied(follower, messageKey), "reply", time, log, ct);
            if (claim is null)
            {
                return;
            }
        }
        catch (StoreUnavailableException)
        {
            // Cannot tell a retry from the first delivery; WeCom only retries when our 200 did not reach it, so send.
            claim = null;
        }

        if (!background.TryRun(stopping => SendAsync(follower, text, image, claim, stopping)))
        {
            log.LogInformation("Shutting down: a reply to a WeCom member was not sent.");
            if (claim is not null)
            {
                await claim.DisposeAsync();
            }
        }
    }

    private async Task SendAsync(Follower follower, string text, AnswerImage? image, StoreLease? claim, CancellationToken ct)
    {
        try
        {
            if (image is null || !await WeComPusher.SendPictureAsync(api, pictures, follower, image, ct))
            {
                await api.SendAsync(follower.Id, text, ct);
            }

            if (claim is not null)
            {
                await claim.ReplaceAsync(SentMark, storeOptions.Value.MessageTtl, CancellationToken.None);
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Sent a reply to a WeCom member but could not mark it sent: {Reason}", ex.Message);
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
        finally
        {
            if (claim is not null)
            {
                await claim.DisposeAsync();
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lets running sends finish within the host's shutdown timeout, then cancels them.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => background.StopAsync(cancellationToken);
}
