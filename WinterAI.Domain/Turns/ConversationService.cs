using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns.AudioConversion;

namespace WinterAI.Domain.Turns;

/// <summary>The channel-independent conversation: routes a message to a command, a fixed text or a Dify turn.</summary>
public sealed class ConversationService(
    IntentRouter router,
    AnswerFollowUps followUps,
    DeliveryEngine engine,
    ConversationStore conversations,
    IDifyClient dify,
    DifyAppProfile app,
    AppInputs inputs,
    FollowerNotices notices,
    IChatPageLinks links,
    ChannelDirectory channels,
    IStateStore store,
    StoreKeys keys,
    IOptionsMonitor<LimitsOptions> limits,
    IOptionsMonitor<MessagesOptions> messages,
    FfmpegAudioConverter audio,
    ILogger<ConversationService> log)
{
    private int speechToTextOffLogged;

    public async Task<DeliveryReply> HandleAsync(Inbound message, Follower follower, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var channel = channels.For(follower.Account) ?? throw new InvalidOperationException($"No channel owns the account {follower.Account}.");
        var policy = channel.Policy;
        var intent = router.Route(message);
        try
        {
            await inputs.RememberAsync(follower, message.Context, ct);
            intent = await followUps.RouteAsync(follower, intent, ct);
            if (intent is Intent.Ask { Attachments: [{ Type: Attachment.AudioType }, ..] } spoken)
            {
                intent = await WithVoiceAsync(spoken, channel, ct);
                if (intent is Intent.Ask voiceQuestion && limits.CurrentValue.PictureFollowUp > TimeSpan.Zero)
                {
                    intent = await WithPendingPicturesAsync(follower, voiceQuestion, ct);
                }
            }
            else if (intent is Intent.Ask { Attachments: { Count: > 0 } } withPictures)
            {
                intent = await WithPicturesAsync(follower, withPictures, channel, ct);
            }
            else if (intent is Intent.Ask question && channel.Media is not null && limits.CurrentValue.PictureFollowUp > TimeSpan.Zero)
            {
                intent = await WithPendingPicturesAsync(follower, question, ct);
            }

            var reply = intent switch
            {
                Intent.Ask ask => await AskAsync(follower, message, ask, channel, arrivedAt, ct),
                Intent.Fetch => await engine.FetchAsync(follower, message.MessageKey, arrivedAt, policy, ct),
                Intent.Clear => await ClearAsync(follower, ct),
                Intent.OpenChat => DeliveryReply.Say(links.ReplyFor(follower)),
                Intent.SetInput set => DeliveryReply.Say(await inputs.SetAsync(follower, set.Name, set.Value, ct)),
                Intent.UnsetInput unset => DeliveryReply.Say(await inputs.UnsetAsync(follower, unset.Name, ct)),
                Intent.Say say when say.Text == messages.CurrentValue.Help => DeliveryReply.Say(await inputs.HelpAsync(follower, say.Text, ct)),
                Intent.Say say => DeliveryReply.Say(say.Text),
                _ => DeliveryReply.Nothing,
            };
            // A picture's page carries no text: a pending notice waits for the next text reply.
            return reply.Kind == DeliveryReplyKind.Text && reply.Image is null && reply.VoiceMediaId is null ? DeliveryReply.Say(await notices.DeliverWithAsync(follower, reply.Text!, ct)) : reply;
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable, answering with the busy text: {Reason}", ex.Message);
            return DeliveryReply.Say(messages.CurrentValue.StoreUnavailable);
        }
    }

    /// <summary>
    /// The app's inputs are resolved here, where the message's channel facts are known, and queued with the question:
    /// the turn may run later on another instance. A required input without a value is asked for instead of Dify.
    /// </summary>
    private async Task<DeliveryReply> AskAsync(Follower follower, Inbound message, Intent.Ask ask, IChannel channel, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var resolved = await inputs.ResolveAsync(follower, channel.Name, message.Context, ct);
        if (!resolved.IsComplete)
        {
            return DeliveryReply.Say(inputs.MissingText(resolved.Missing));
        }

        return await engine.AskAsync(follower, message.MessageKey, ask with { Inputs = resolved.Values }, arrivedAt, channel.Policy, ct);
    }

    /// <summary>
    /// A question with pictures goes to Dify only when the channel can fetch them again and the Dify app takes images
    /// (at most as many as it takes); otherwise the follower is told pictures are not understood.
    /// </summary>
    private async Task<Intent> WithPicturesAsync(Follower follower, Intent.Ask ask, IChannel channel, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        if (channel.Media is null || await app.GetAsync(ct) is not { ImagesEnabled: true } parameters)
        {
            return new Intent.Say(texts.UnsupportedImage);
        }

        var pictures = ask.Attachments!.Take(parameters.ImageLimit).ToList();
        if (ask.PicturesOnly && limits.CurrentValue.PictureFollowUp > TimeSpan.Zero)
        {
            // Kept for a question that follows; a second picture joins the first (as many as the app takes).
            var pending = await PendingPicturesAsync(follower, ct);
            var kept = pending.Concat(pictures).DistinctBy(p => p.Source).TakeLast(parameters.ImageLimit).ToList();
            await store.SetAsync(keys.PendingPictures(follower.Account, follower.Id), JsonSerializer.Serialize(kept, DeliveryJsonContext.Default.ListAttachment), limits.CurrentValue.PictureFollowUp, ct);
        }

        if (ask.PicturesOnly && texts.ImagePrompt.Length == 0)
        {
            return new Intent.Say(texts.ImageReceived);
        }

        return ask with { Attachments = pictures };
    }

    /// <summary>
    /// A voice message without the platform's recognition is queued to be transcribed when its turn runs, when that can
    /// work: the channel fetches recordings, ffmpeg is there, and the Dify app has speech to text on (an app that says
    /// it is off would refuse every recording, so it is not asked). Otherwise the follower is told at once.
    /// </summary>
    private async Task<Intent> WithVoiceAsync(Intent.Ask ask, IChannel channel, CancellationToken ct)
    {
        var unsupported = new Intent.Say(messages.CurrentValue.UnsupportedVoice);
        if (channel.Media is null || !audio.IsAvailable)
        {
            return unsupported;
        }

        if (await app.GetAsync(ct) is { SpeechToText: false })
        {
            if (Interlocked.Exchange(ref speechToTextOffLogged, 1) == 0)
            {
                log.LogWarning("The Dify app has speech to text off (GET /parameters): voice messages without WeChat's own recognition are answered with Messages:UnsupportedVoice. Switch on 语音转文字 in the Dify app's features.");
            }

            return unsupported;
        }

        return ask;
    }

    /// <summary>A question soon after pictures sent alone is asked about them: one turn with the question and the pictures.</summary>
    private async Task<Intent> WithPendingPicturesAsync(Follower follower, Intent.Ask question, CancellationToken ct)
    {
        var pending = await PendingPicturesAsync(follower, ct);
        if (pending.Count == 0)
        {
            return question;
        }

        await store.DeleteAsync(keys.PendingPictures(follower.Account, follower.Id), ct);
        return await app.GetAsync(ct) is { ImagesEnabled: true } parameters
            ? question with { Attachments = [.. question.Attachments ?? [], .. pending.TakeLast(parameters.ImageLimit)] }
            : question;
    }

    private async Task<List<Attachment>> PendingPicturesAsync(Follower follower, CancellationToken ct)
    {
        var json = await store.GetAsync(keys.PendingPictures(follower.Account, follower.Id), ct);
        try
        {
            return json is null ? [] : JsonSerializer.Deserialize(json, DeliveryJsonContext.Default.ListAttachment) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Forgets the conversation at once; deleting it in Dify is best effort and does not hold up the reply.</summary>
    public async Task<DeliveryReply> ClearAsync(Follower follower, CancellationToken ct)
    {
        if (!(await app.GetAppTypeAsync(ct)).HasConversation())
        {
            return DeliveryReply.Say(messages.CurrentValue.NoConversation);
        }

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
