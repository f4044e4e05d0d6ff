using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>The channel-independent conversation: routes a message to a command, a fixed text or a Dify turn.</summary>
public sealed class ConversationService(
    IntentRouter router,
    AnswerFollowUps followUps,
    DeliveryEngine engine,
    ConversationStore conversations,
    IDifyClient dify,
    DifyAppProfile app,
    FollowerNotices notices,
    IChatPageLinks links,
    ChannelDirectory channels,
    IOptionsMonitor<MessagesOptions> messages,
    ILogger<ConversationService> log)
{
    public async Task<DeliveryReply> HandleAsync(Inbound message, Follower follower, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var channel = channels.For(follower.Account) ?? throw new InvalidOperationException($"No channel owns the account {follower.Account}.");
        var policy = channel.Policy;
        var intent = router.Route(message);
        try
        {
            intent = await followUps.RouteAsync(follower, intent, ct);
            if (intent is Intent.Ask { Attachments: { Count: > 0 } } withPictures)
            {
                intent = await WithPicturesAsync(withPictures, channel, ct);
            }

            var reply = intent switch
            {
                Intent.Ask ask => await engine.AskAsync(follower, message.MessageKey, ask, arrivedAt, policy, ct),
                Intent.Fetch => await engine.FetchAsync(follower, message.MessageKey, arrivedAt, policy, ct),
                Intent.Clear => await ClearAsync(follower, ct),
                Intent.OpenChat => DeliveryReply.Say(links.ReplyFor(follower)),
                Intent.Say say => DeliveryReply.Say(say.Text),
                _ => DeliveryReply.Nothing,
            };
            return reply.Kind == DeliveryReplyKind.Text ? DeliveryReply.Say(await notices.DeliverWithAsync(follower, reply.Text!, ct)) : reply;
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable, answering with the busy text: {Reason}", ex.Message);
            return DeliveryReply.Say(messages.CurrentValue.StoreUnavailable);
        }
    }

    /// <summary>
    /// A question with pictures goes to Dify only when the channel can fetch them again and the Dify app takes images
    /// (at most as many as it takes); otherwise the follower is told pictures are not understood.
    /// </summary>
    private async Task<Intent> WithPicturesAsync(Intent.Ask ask, IChannel channel, CancellationToken ct)
    {
        if (channel.Media is null || await app.GetAsync(ct) is not { ImagesEnabled: true } parameters)
        {
            return new Intent.Say(messages.CurrentValue.UnsupportedImage);
        }

        return ask.Attachments!.Count > parameters.ImageLimit ? ask with { Attachments = ask.Attachments.Take(parameters.ImageLimit).ToList() } : ask;
    }

    /// <summary>Forgets the conversation at once; deleting it in Dify is best effort and does not hold up the reply.</summary>
    public async Task<DeliveryReply> ClearAsync(Follower follower, CancellationToken ct)
    {
        var conversationId = await conversations.ForgetAsync(follower, ct);
        if (conversationId is not null)
        {
            _ = DeleteInDifyAsync(conversationId, follower);
        }

        return DeliveryReply.Say(messages.CurrentValue.Cleared);
    }

    private async Task DeleteInDifyAsync(string conversationId, Follower follower)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await dify.DeleteConversationAsync(conversationId, follower.DifyUser, timeout.Token);
        }
        catch (Exception ex) when (ex is DifyException or OperationCanceledException)
        {
            log.LogInformation("Could not delete the conversation in Dify (it is forgotten here anyway): {Reason}", ex.Message);
        }
    }
}
