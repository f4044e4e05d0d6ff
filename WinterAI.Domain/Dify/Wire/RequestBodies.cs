namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>DELETE /conversations/{id}</c>.</summary>
internal sealed record DeleteConversationBody(string User);

/// <summary>The JSON body of <c>POST /chat-messages/{task_id}/stop</c>.</summary>
internal sealed record StopMessageBody(string User);

/// <summary><c>POST /messages/{id}/feedbacks</c>: <c>rating</c> like, dislike or null (withdrawn).</summary>
internal sealed record FeedbackBody([property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Rating, string User);
