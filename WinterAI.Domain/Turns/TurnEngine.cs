using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;

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
    IOptionsMonitor<MessagesOptions> messages,
    IOptions<DifyOptions> difyOptions,
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
        try
        {
            appType = await app.GetAppTypeAsync(ct);
            conversationId = appType.HasConversation() ? await conversations.GetAsync(follower, ct) : null;
            var files = turn.Attachments is { Count: > 0 } attachments ? await UploadAsync(follower, attachments, ct) : null;
            var answer = await dify.ChatAsync(
                new DifyChatRequest(turn.Question, follower.DifyUser, conversationId, files, turn.Inputs, appType),
                async (progress, token) =>
                {
                    taskId ??= progress.TaskId;
                    soFar = progress.AnswerSoFar;
                    await partial.UpdateAsync(progress, token);
                    if (onProgress is not null)
                    {
                        await onProgress(progress, token);
                    }
                },
                ct);
            if (!string.IsNullOrEmpty(answer.ConversationId) && answer.ConversationId != conversationId)
            {
                await conversations.SaveAsync(follower, answer.ConversationId, ct);
            }

            var (markdown, images) = AnswerImages.Extract(answer.Text, answer.Files, difyOptions.Value.BaseUrl);
            if (images.Count > 0 && markdown.Trim().Length == 0)
            {
                markdown = AnswerImages.Placeholder;
            }

            return Rendered(follower, turn, markdown, texts.EmptyAnswer) with
            {
                Images = images.Count > 0 ? images : null,
                ConversationId = string.IsNullOrEmpty(answer.ConversationId) ? null : answer.ConversationId,
                DifyMessageId = answer.MessageId,
            };
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

    /// <summary>Fetches each picture from the follower's channel and uploads it to Dify, within Dify's size limit.</summary>
    private async Task<IReadOnlyList<DifyFileRef>> UploadAsync(Follower follower, IReadOnlyList<Attachment> attachments, CancellationToken ct)
    {
        var media = channels.For(follower.Account)?.Media ?? throw new MediaUnavailableException("the follower's channel fetches no media");
        var limit = (await app.GetAsync(ct))?.ImageSizeLimitBytes ?? DifyAppParameters.DefaultImageSizeLimitBytes;
        var files = new List<DifyFileRef>(attachments.Count);
        foreach (var attachment in attachments)
        {
            var file = await media.FetchAsync(attachment, ct);
            if (file.Content.LongLength > limit)
            {
                throw new MediaUnavailableException($"{file.Content.LongLength} bytes, more than the Dify app's {limit}", tooLarge: true);
            }

            files.Add(new DifyFileRef(attachment.Type, await dify.UploadFileAsync(new DifyUpload(file.Content, file.FileName, file.ContentType), follower.DifyUser, ct)));
        }

        return files;
    }

    /// <summary>The answer as the follower's channel shows it: plain text rendered from Markdown, or Markdown kept for WeCom.</summary>
    private TurnRecord Rendered(Follower follower, TurnRecord turn, string markdown, string whenEmpty)
    {
        var text = channels.For(follower.Account)?.KeepsMarkdown == true ? markdown.Trim() : MarkdownText.Render(markdown);
        return turn with
        {
            Answer = text.Length == 0 ? whenEmpty : text,
            Markdown = text.Length == 0 ? null : markdown,
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
