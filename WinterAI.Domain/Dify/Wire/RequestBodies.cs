namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>DELETE /conversations/{id}</c>.</summary>
internal sealed record DeleteConversationBody(string User);

/// <summary>The JSON body of <c>POST /chat-messages/{task_id}/stop</c>.</summary>
internal sealed record StopMessageBody(string User);
