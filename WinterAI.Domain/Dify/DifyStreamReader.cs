using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using WinterAI.Domain.Dify.Wire;

namespace WinterAI.Domain.Dify;

/// <summary>
/// Turns a <c>text/event-stream</c> from <c>POST /chat-messages</c>, <c>/completion-messages</c> or <c>/workflows/run</c>
/// into an answer: <c>message</c> / <c>agent_message</c> / <c>text_chunk</c> text grows it, <c>message_end</c> ends a
/// chat or completion stream, <c>workflow_finished</c> a workflow's (a chatflow's comes before its <c>message_end</c>
/// and does not end it); every other event is skipped. <see cref="SseParser"/> works on
/// bytes, so frames and UTF-8 sequences split across network reads are reassembled before any decoding.
/// </summary>
internal static class DifyStreamReader
{
    // Returned by the item parser for frames that carry no usable JSON, so one bad frame is skipped, not fatal.
    static readonly DifyStreamEvent Malformed = new("\0malformed", null, null, null, null, null, null, null, null, null);

    /// <param name="workflow">True for a workflow's stream, which ends with <c>workflow_finished</c>.</param>
    public static async Task<DifyStreamResult> ReadAsync(
        Stream stream,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress,
        CancellationToken ct,
        bool workflow = false)
    {
        var answer = new StringBuilder();
        string? conversationId = null;
        string? messageId = null;
        string? taskId = null;
        var malformed = 0;
        var files = new List<DifyAnswerFile>();

        var parser = SseParser.Create(stream, static (eventType, data) => Parse(eventType, data));
        await foreach (var item in parser.EnumerateAsync(ct).ConfigureAwait(false))
        {
            var e = item.Data;
            if (e is null)
            {
                continue;
            }

            if (ReferenceEquals(e, Malformed))
            {
                malformed++;
                continue;
            }

            conversationId = NonEmpty(e.ConversationId) ?? conversationId;
            messageId = NonEmpty(e.MessageId) ?? messageId;
            taskId = NonEmpty(e.TaskId) ?? taskId;

            switch (e.Event)
            {
                case "message" or "agent_message" when !string.IsNullOrEmpty(e.Answer):
                    answer.Append(e.Answer);
                    if (onProgress is not null)
                    {
                        await onProgress(new DifyProgress(answer.ToString(), e.Answer, Replaced: false, taskId), ct).ConfigureAwait(false);
                    }

                    break;
                case "text_chunk" when workflow && e.Data?.Text is { Length: > 0 } chunk:
                    answer.Append(chunk);
                    if (onProgress is not null)
                    {
                        await onProgress(new DifyProgress(answer.ToString(), chunk, Replaced: false, taskId), ct).ConfigureAwait(false);
                    }

                    break;
                case "workflow_finished" when workflow:
                    return new DifyStreamResult(answer.ToString(), conversationId, messageId, null, Completed: true, Error: null, malformed,
                        e.Data ?? new DifyEventData(null, null, null, null), files);
                case "message_replace":
                    answer.Clear().Append(e.Answer);
                    if (onProgress is not null)
                    {
                        await onProgress(new DifyProgress(answer.ToString(), "", Replaced: true, taskId), ct).ConfigureAwait(false);
                    }

                    break;
                case "message_file" when !string.IsNullOrWhiteSpace(e.Url) && e.BelongsTo is not "user":
                    // The assistant's pictures and files (a tool's chart, a generated image); the follower's own uploads come back as belongs_to "user".
                    if (!files.Exists(f => f.Url == e.Url))
                    {
                        files.Add(new DifyAnswerFile(e.Url.Trim(), string.IsNullOrWhiteSpace(e.Type) ? "image" : e.Type));
                    }

                    break;
                case "message_end":
                    return new DifyStreamResult(answer.ToString(), conversationId, messageId ?? NonEmpty(e.Id),
                        e.Metadata?.Usage?.ToUsage(), Completed: true, Error: null, malformed, Files: files);
                case "error":
                    return new DifyStreamResult(answer.ToString(), conversationId, messageId, null, Completed: false,
                        new DifyErrorBody(e.Code, e.Message, e.Status), malformed, Files: files);
            }
        }

        return new DifyStreamResult(answer.ToString(), conversationId, messageId, null, Completed: false, Error: null, malformed, Files: files);
    }

    static DifyStreamEvent? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        // Dify's keep-alive "event: ping" carries no data, so the parser yields nothing for it. The parser does not
        // reset the event type after such a frame (WHATWG says it should), so the next data frame arrives labelled
        // "ping": the event name inside the JSON is what counts, the SSE one is only a fallback.
        if (data.IsEmpty)
        {
            return null;
        }

        try
        {
            var e = JsonSerializer.Deserialize(data, DifyJsonContext.Default.DifyStreamEvent);
            if (e is null)
            {
                return Malformed;
            }

            return e.Event is null && eventType is not (SseParser.EventTypeDefault or "ping") ? e with { Event = eventType } : e;
        }
        catch (JsonException)
        {
            return Malformed;
        }
    }

    static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
