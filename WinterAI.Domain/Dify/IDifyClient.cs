namespace WinterAI.Domain.Dify;

/// <summary>Talks to a Dify app's service API. Failures arrive as <see cref="DifyException"/>.</summary>
public interface IDifyClient
{
    /// <summary>
    /// One turn over <c>POST /chat-messages</c> (or the route of <see cref="DifyChatRequest.AppType"/>) in streaming mode. <paramref name="onProgress"/> (optional)
    /// sees the answer as it grows. When Dify says the conversation does not exist the turn is retried once
    /// without a conversation id; the returned answer carries whichever conversation id Dify used.
    /// </summary>
    Task<DifyAnswer> ChatAsync(
        DifyChatRequest request,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress,
        CancellationToken ct);

    /// <summary><c>DELETE /conversations/{id}</c>; a conversation Dify no longer knows counts as deleted.</summary>
    Task DeleteConversationAsync(string conversationId, string user, CancellationToken ct);

    /// <summary>
    /// <c>POST /chat-messages/{task_id}/stop</c> (<c>/workflows/tasks/{task_id}/stop</c>,
    /// <c>/completion-messages/{task_id}/stop</c> for those apps): asks Dify to stop generating a streamed answer.
    /// Closing the stream alone does not stop Dify, which would finish the answer and keep it in the conversation's context.
    /// </summary>
    Task StopAsync(string taskId, string user, DifyAppType appType, CancellationToken ct);

    /// <summary>Stops a chat app's answer (<c>POST /chat-messages/{task_id}/stop</c>).</summary>
    Task StopAsync(string taskId, string user, CancellationToken ct) => StopAsync(taskId, user, DifyAppType.Chat, ct);

    /// <summary><c>GET /info</c>: the app's name and mode (its <see cref="DifyAppType"/>; null from a Dify too old to say).</summary>
    Task<DifyAppInfo> GetInfoAsync(CancellationToken ct);

    /// <summary>
    /// <c>POST /messages/{message_id}/feedbacks</c>: <paramref name="rating"/> <c>like</c>, <c>dislike</c>, or null to
    /// withdraw. A message Dify does not know is a <see cref="DifyException"/> with <see cref="DifyException.HttpStatus"/> 404.
    /// </summary>
    Task FeedbackAsync(string messageId, string? rating, string user, CancellationToken ct);

    /// <summary><c>GET /messages/{message_id}/suggested</c>: the follow-up questions Dify suggests after an answer (empty when none).</summary>
    Task<IReadOnlyList<string>> GetSuggestedQuestionsAsync(string messageId, string user, CancellationToken ct);

    /// <summary><c>GET /parameters</c>: what the app accepts and declares (files, input form, features).</summary>
    Task<DifyAppParameters> GetParametersAsync(string user, CancellationToken ct);

    /// <summary><c>POST /files/upload</c> (multipart): the file's id, to send with a question in <see cref="DifyChatRequest.Files"/>.</summary>
    Task<string> UploadFileAsync(DifyUpload file, string user, CancellationToken ct);

    /// <summary>
    /// <c>POST /audio-to-text</c> (multipart <c>file</c> + <c>user</c>): what the recording says, as the app's speech to
    /// text model heard it. Dify takes mp3, mp4, mpeg, mpga, m4a, wav and webm, and refuses (400) when the app has speech
    /// to text off or its model provider has none.
    /// </summary>
    Task<string> AudioToTextAsync(DifyUpload audio, string user, CancellationToken ct);

    /// <summary>
    /// <c>POST /text-to-audio</c>: the answer read out (MP3), by its Dify message id or its text; at most
    /// <paramref name="maxBytes"/> (a longer one is refused as <see cref="DifyFailure.Rejected"/>).
    /// </summary>
    Task<byte[]> TextToAudioAsync(string? messageId, string text, string user, long maxBytes, CancellationToken ct);
}
