namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>DELETE /conversations/{id}</c>.</summary>
internal sealed record DeleteConversationBody(string User);

/// <summary>The JSON body of <c>POST /chat-messages/{task_id}/stop</c>.</summary>
internal sealed record StopMessageBody(string User);

/// <summary><c>POST /messages/{id}/feedbacks</c>: <c>rating</c> like, dislike or null (withdrawn).</summary>
internal sealed record FeedbackBody([property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Rating, string User);

/// <summary>
/// The JSON body of <c>POST /workflows/run</c> and <c>POST /completion-messages</c>: the question travels in
/// <c>inputs</c>, and there is no conversation.
/// </summary>
internal sealed record AppRunBody(
    IReadOnlyDictionary<string, string> Inputs,
    string ResponseMode,
    string User,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ChatFileBody>? Files);

/// <summary><c>POST /text-to-audio</c>: by <c>message_id</c> when there is one (Dify reads that answer), else <c>text</c>.</summary>
internal sealed record TextToAudioBody(
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? MessageId,
    string Text,
    string User);
