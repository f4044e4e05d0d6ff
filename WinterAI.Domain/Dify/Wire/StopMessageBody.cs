namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>POST /chat-messages/{task_id}/stop</c>.</summary>
internal sealed record StopMessageBody(string User);
