using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Turns.AudioConversion;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Answers one turn, for every channel alike: the follower's Dify conversation, the streamed Dify call with the answer
/// so far kept live in the store, the answer rendered as the follower's channel shows it, and the friendly text for a
/// failure. The background runner and the chat page both answer through here, under the one <see cref="FollowerLock"/>.
/// </summary>
public sealed class TurnEngine(
    ConversationStore conversations,
    IDifyClient dify,
    DifyAppProfile app,
    PartialAnswers partials,
    ChannelDirectory channels,
    IntentRouter router,
    FfmpegAudioConverter audio,
    IOptionsMonitor<MessagesOptions> messages,
    IOptionsMonitor<DifyOptions> difyOptions,
    TimeProvider time,
    ILogger<TurnEngine> log)
{
    /// <summary>
    /// The turn with its answer. <paramref name="onProgress"/> (optional) sees the answer grow. When
    /// <paramref name="stoppable"/>, cancelling <paramref name="ct"/> stops the answer (in Dify too) and returns what had
    /// arrived, marked stopped; otherwise cancellation (shutdown) throws and nothing is answered.
    /// </summary>
    public async Task<TurnRecord> AnswerAsync(
        Follower follower,
        TurnRecord turn,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress,
        bool stoppable,
        CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        var partial = partials.Start(follower, turn.MessageKey);
        string? conversationId = null;
        string? taskId = null;
        var appType = DifyAppType.Chat;
        var soFar = "";
        var reasoning = new ReasoningFilter(difyOptions.CurrentValue.Reasoning);
        try
        {
            appType = await app.GetAppTypeAsync(ct);
            conversationId = appType.HasConversation() ? await conversations.GetAsync(follower, ct) : null;
            if (turn.Attachments?.FirstOrDefault(a => a.Type == Attachment.AudioType) is { } recording)
            {
                var spoken = await HearAsync(follower, turn, recording, appType, ct);
                if (spoken.IsAnswered)
                {
                    return spoken;
                }

                turn = spoken;
            }

            var pictures = turn.Attachments?.Where(a => a.Type != Attachment.AudioType).ToList();
            var files = pictures is { Count: > 0 } ? await UploadAsync(follower, pictures, ct) : null;
            var answer = await dify.ChatAsync(
                new DifyChatRequest(turn.Question, follower.DifyUser, conversationId, files, turn.Inputs, appType),
                async (progress, token) =>
                {
                    taskId ??= progress.TaskId;
                    soFar = progress.AnswerSoFar;
                    // Reasoning never reaches the live answer (robot streams, partial replies); the H5 page sees it only to fold it.
                    var shown = reasoning.Shown(progress);
                    if (shown is not null)
                    {
                        await partial.UpdateAsync(shown, token);
                    }

                    if (onProgress is not null && reasoning.ForPage(progress, shown) is { } forPage)
                    {
                        await onProgress(forPage, token);
                    }
                },
                ct);
            if (!string.IsNullOrEmpty(answer.ConversationId) && answer.ConversationId != conversationId)
            {
                await conversations.SaveAsync(follower, answer.ConversationId, ct);
            }

            var (markdown, images) = AnswerImages.Extract(answer.Text, answer.Files, difyOptions.CurrentValue.BaseUrl);
            if (images.Count > 0 && markdown.Trim().Length == 0)
            {
                markdown = AnswerImages.Placeholder;
            }

            var answered = WithHeard(Rendered(follower, turn, markdown, texts.EmptyAnswer) with
            {
                Images = images.Count > 0 ? images : null,
                ConversationId = string.IsNullOrEmpty(answer.ConversationId) ? null : answer.ConversationId,
                DifyMessageId = answer.MessageId,
            });
            return await SpokenBackAsync(follower, answered, markdown, ct);
        }
        catch (DifyException ex)
        {
            log.LogWarning("Dify turn failed: {Failure} (HTTP {Status}, code {Code})", ex.Failure, ex.HttpStatus, ex.Code);
            if (ex.Failure == DifyFailure.Misconfigured)
            {
                app.ForgetAppType();
            }

            return turn with { Answer = texts.ForFailure(ex.Failure), Failed = true, ConversationId = conversationId, AnsweredAtUnixMs = Now() };
        }
        catch (MediaUnavailableException ex)
        {
            log.LogWarning("A picture for the turn could not be fetched: {Reason}", ex.Message);
            return turn with { Answer = ex.TooLarge ? texts.ImageTooLarge : texts.ImageUnavailable, Failed = true, ConversationId = conversationId, AnsweredAtUnixMs = Now() };
        }
        catch (OperationCanceledException) when (stoppable && ct.IsCancellationRequested)
        {
            // Stopped (button, closed page or shutdown). Dify would otherwise finish the answer and keep the whole of
            // it in the conversation, though the follower saw only the part below.
            if (taskId is not null)
            {
                _ = StopInDifyAsync(taskId, follower, appType);
            }

            return Rendered(follower, turn, soFar, texts.Stopped) with { Stopped = true, ConversationId = conversationId };
        }
        finally
        {
            await partial.FinishAsync();
        }
    }

    /// <summary>
    /// A voice message's turn: the recording fetched from the channel, converted by ffmpeg and transcribed by Dify
    /// (<c>POST /audio-to-text</c>). What was heard routes like typed text — help, <c>/clear</c> and keywords answer
    /// here without Dify — and is otherwise the question (an unanswered turn carrying it). A recording that cannot be
    /// heard answers the turn with a friendly text.
    /// </summary>
    private async Task<TurnRecord> HearAsync(Follower follower, TurnRecord turn, Attachment recording, DifyAppType appType, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        string heard;
        try
        {
            var media = channels.For(follower.Account)?.Media ?? throw new MediaUnavailableException("the follower's channel fetches no media");
            var mp3 = await audio.ToMp3Async(await media.FetchAsync(recording, ct), ct);
            heard = (await dify.AudioToTextAsync(new DifyUpload(mp3.Content, mp3.FileName, mp3.ContentType), follower.DifyUser, ct)).Trim();
        }
        catch (MediaUnavailableException ex)
        {
            log.LogWarning("A recording for the turn could not be fetched: {Reason}", ex.Message);
            return Failed(turn, texts.VoiceUnavailable);
        }
        catch (AudioConversionException ex)
        {
            if (!ex.Missing)
            {
                log.LogWarning("A recording could not be converted for Dify: {Reason}", ex.Message);
            }

            return Failed(turn, texts.UnsupportedVoice);
        }
        catch (DifyException ex) when (ex.Failure is DifyFailure.Rejected or DifyFailure.Misconfigured)
        {
            log.LogWarning("Dify refused to transcribe a recording (POST /audio-to-text, HTTP {Status}, code {Code}); is speech to text on in the Dify app?", ex.HttpStatus, ex.Code);
            return Failed(turn, texts.UnsupportedVoice);
        }

        if (heard.Length == 0)
        {
            return Failed(turn, texts.UnsupportedVoice);
        }

        var spoken = turn with { Question = heard, Heard = heard };
        return router.RouteHeard(heard) switch
        {
            Intent.Say say => WithHeard(spoken with { Answer = say.Text, AnsweredAtUnixMs = Now() }),
            Intent.Clear => WithHeard(spoken with { Answer = await ClearAsync(follower, appType, ct), AnsweredAtUnixMs = Now() }),
            Intent.Ask ask => spoken with { Question = ask.Question },
            // A spoken 1, web or /set is asked as a question: fetching or setting by voice is not worth a surprise.
            _ => spoken,
        };
    }

    private async Task<string> ClearAsync(Follower follower, DifyAppType appType, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        if (!appType.HasConversation())
        {
            return texts.NoConversation;
        }

        if (await conversations.ForgetAsync(follower, ct) is { } conversationId)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await dify.DeleteConversationAsync(conversationId, follower.DifyUser, timeout.Token);
            }
            catch (Exception ex) when (ex is DifyException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                log.LogInformation("Could not delete the conversation in Dify (it is forgotten here anyway): {Reason}", ex.Message);
            }
        }

        return texts.Cleared;
    }

    /// <summary>The most a read-out answer may weigh: WeChat's limit for voice media.</summary>
    public const long MaxVoiceBytes = 2L * 1024 * 1024;

    /// <summary>
    /// With <c>Dify:VoiceReplies</c>, a short answer to a spoken question on a channel that can reply with voice is read
    /// out (<c>POST /text-to-audio</c>) and uploaded now, so the reply window is not spent on it. Any failure leaves the
    /// text answer, with a log line.
    /// </summary>
    private async Task<TurnRecord> SpokenBackAsync(Follower follower, TurnRecord answered, string markdown, CancellationToken ct)
    {
        if (!difyOptions.CurrentValue.VoiceReplies || !(answered.Spoken || answered.Heard is not null) || answered.Failed
            || answered.Images is { Count: > 0 } || channels.For(follower.Account)?.VoiceOut is not { } voiceOut)
        {
            return answered;
        }

        var text = MarkdownText.Render(ReasoningText.Hide(markdown)).Trim();
        if (text.Length == 0 || text.Length > DifyOptions.MaxVoiceReplyChars)
        {
            return answered;
        }

        try
        {
            var mp3 = await dify.TextToAudioAsync(answered.DifyMessageId, text, follower.DifyUser, MaxVoiceBytes, ct);
            return answered with { VoiceMediaId = await voiceOut.UploadVoiceAsync(mp3, ct) };
        }
        catch (Exception ex) when (ex is DifyException or MediaUnavailableException)
        {
            log.LogWarning("The answer could not be spoken back ({Reason}); the follower gets the text.", ex.Message);
            return answered;
        }
    }

    /// <summary>A voice question's answer begins with what was heard (<c>Messages:VoiceHeard</c>), so the follower can tell.</summary>
    private TurnRecord WithHeard(TurnRecord turn)
    {
        var texts = messages.CurrentValue;
        if (turn.Heard is not { } heard || texts.VoiceHeard.Length == 0 || turn.Answer is null)
        {
            return turn;
        }

        var line = string.Format(CultureInfo.InvariantCulture, texts.VoiceHeard, heard);
        return turn with { Answer = $"{line}\n{texts.Separator}\n{turn.Answer}" };
    }

    private TurnRecord Failed(TurnRecord turn, string text) => turn with { Answer = text, Failed = true, AnsweredAtUnixMs = Now() };

    /// <summary>Fetches each picture from the follower's channel and uploads it to Dify, within Dify's size limit.</summary>
    private async Task<IReadOnlyList<DifyFileRef>> UploadAsync(Follower follower, IReadOnlyList<Attachment> attachments, CancellationToken ct)
    {
        var limit = (await app.GetAsync(ct))?.ImageSizeLimitBytes ?? DifyAppParameters.DefaultImageSizeLimitBytes;
        var files = new List<DifyFileRef>(attachments.Count);
        foreach (var attachment in attachments)
        {
            if (attachment.IsUploaded)
            {
                files.Add(new DifyFileRef(attachment.Type, attachment.Source));
                continue;
            }

            var media = channels.For(follower.Account)?.Media ?? throw new MediaUnavailableException("the follower's channel fetches no media");
            var file = await media.FetchAsync(attachment, ct);
            if (file.Content.LongLength > limit)
            {
                throw new MediaUnavailableException($"{file.Content.LongLength} bytes, more than the Dify app's {limit}", tooLarge: true);
            }

            files.Add(new DifyFileRef(attachment.Type, await dify.UploadFileAsync(new DifyUpload(file.Content, file.FileName, file.ContentType), follower.DifyUser, ct)));
        }

        return files;
    }

    /// <summary>
    /// The answer as the follower's channel shows it: plain text rendered from Markdown, or Markdown kept for WeCom;
    /// without reasoning either way, so no page can start or end inside it. <see cref="TurnRecord.Markdown"/> (the H5
    /// page's) keeps the reasoning only when it is to be shown folded.
    /// </summary>
    private TurnRecord Rendered(Follower follower, TurnRecord turn, string markdown, string whenEmpty)
    {
        var answer = ReasoningText.Hide(markdown);
        var text = channels.For(follower.Account)?.KeepsMarkdown == true ? answer.Trim() : MarkdownText.Render(answer);
        return turn with
        {
            Answer = text.Length == 0 ? whenEmpty : text,
            Markdown = text.Length == 0 ? null : difyOptions.CurrentValue.Reasoning == ReasoningDisplay.Fold ? markdown : answer,
            AnsweredAtUnixMs = Now(),
        };
    }

    private async Task StopInDifyAsync(string taskId, Follower follower, DifyAppType appType)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await dify.StopAsync(taskId, follower.DifyUser, appType, timeout.Token);
        }
        catch (Exception ex) when (ex is DifyException or OperationCanceledException)
        {
            log.LogInformation("Could not stop the answer in Dify (it is stopped here anyway): {Reason}", ex.Message);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
