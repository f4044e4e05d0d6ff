using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot.LongConnection;

/// <summary>
/// The long-connection answers still owed to their chats, kept in the shared store so that no answer is cut off with its
/// connection. A stream is owed from its start until the answer reached the chat whole: by its finishing stream frame,
/// or — when the connection dropped, its holder died or the stream's window closed first — by a proactive
/// <c>aibot_send_msg</c> from whichever instance holds the connection next (a callback's req_id dies with the connection
/// it came on, so the stream itself cannot be resumed). Both ways take one claim per message
/// (<see cref="StoreKeys.RobotDelivered"/>: a lease while sending, then a lasting marker), so the answer goes out once
/// across instances; a claim whose holder died lapses within one lease and the answer is sent again.
/// </summary>
public sealed class RobotOwedAnswers(
    IStateStore store,
    StoreKeys keys,
    TurnStore turns,
    RobotStreams streams,
    TurnRunner runner,
    IOptions<RedisOptions> storeOptions,
    TimeProvider time,
    ILogger<RobotOwedAnswers> log)
{
    /// <summary>The marker of an answer that reached its chat.</summary>
    public const string Delivered = "delivered";

    /// <summary>The marker of an answer WeCom refused to take: it is not offered again (it stays available through <c>1</c>).</summary>
    public const string Refused = "refused";

    private TimeSpan Ttl => storeOptions.Value.AnswerTtl;

    /// <summary>Owes <paramref name="stream"/>'s answer to its chat until <see cref="SettleAsync"/>.</summary>
    public Task OweAsync(RobotStream stream, CancellationToken ct) => store.ListAppendAsync(keys.RobotOwed(stream.Account), stream.Id, Ttl, ct);

    /// <summary>The ids of the streams still owed in <paramref name="account"/>, oldest first.</summary>
    public Task<IReadOnlyList<string>> OwedAsync(string account, CancellationToken ct) => store.ListAllAsync(keys.RobotOwed(account), ct);

    /// <summary>The right to deliver the answer whole, unless someone has it or it was delivered: a lease (dispose it to give the right back) or null.</summary>
    public Task<StoreLease?> ClaimAsync(RobotStream stream, CancellationToken ct) =>
        StoreLease.TryTakeAsync(store, keys.RobotDelivered(stream.Follower, stream.MessageKey), $"{Environment.MachineName}:robot-delivery", time, log, ct);

    /// <summary>Turns the claim into the lasting <paramref name="outcome"/> (<see cref="Delivered"/> or <see cref="Refused"/>); the answer is no longer owed.</summary>
    public async Task SettleAsync(RobotStream stream, StoreLease claim, string outcome, CancellationToken ct)
    {
        await claim.ReplaceAsync(outcome, Ttl, ct);
        await store.ListRemoveAsync(keys.RobotOwed(stream.Account), stream.Id, ct);
    }

    /// <summary>
    /// One look at what <paramref name="account"/> owes: each answer that is ready, not streaming on this instance
    /// (<paramref name="isLive"/>) and not claimed goes to <paramref name="send"/> (the chat and the Markdown to send; it
    /// answers <see cref="Delivered"/>, <see cref="Refused"/>, or null to try again later). A turn still unanswered is
    /// kicked, so one whose runner died with its instance runs again once the runner's lease lapses. What was settled or
    /// expired is dropped from the list.
    /// </summary>
    public async Task DeliverReadyAsync(string account, Func<string, bool> isLive, Func<RobotStream, string, CancellationToken, Task<string?>> send, CancellationToken ct)
    {
        var owedKey = keys.RobotOwed(account);
        foreach (var id in (await store.ListAllAsync(owedKey, ct)).Distinct(StringComparer.Ordinal))
        {
            if (isLive(id))
            {
                continue;
            }

            if (await streams.FindAsync(account, id, ct) is not { } stream)
            {
                await store.ListRemoveAsync(owedKey, id, ct);
                continue;
            }

            var marker = await store.GetAsync(keys.RobotDelivered(stream.Follower, stream.MessageKey), ct);
            if (marker is Delivered or Refused)
            {
                await store.ListRemoveAsync(owedKey, id, ct);
                continue;
            }

            if (marker is not null)
            {
                // Being delivered right now (or its deliverer died: the claim lapses within one lease).
                continue;
            }

            var turn = await turns.GetAsync(stream.Follower, stream.MessageKey, ct);
            if (turn is null)
            {
                log.LogWarning("A robot answer owed to its chat expired before it was ready.");
                await store.ListRemoveAsync(owedKey, id, ct);
                continue;
            }

            if (!turn.IsAnswered)
            {
                runner.Kick(stream.Follower);
                continue;
            }

            await using var claim = await ClaimAsync(stream, ct);
            if (claim is null)
            {
                continue;
            }

            if (await send(stream, RobotContent.Frame(RobotStreams.Whole(turn), finish: true), ct) is { } outcome)
            {
                await SettleAsync(stream, claim, outcome, ct);
            }
        }
    }
}
