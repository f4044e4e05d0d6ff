namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>POST /chat-messages</c>.</summary>
/// <param name="ConversationId">Empty starts a new conversation; Dify accepts "" where it expects a UUID.</param>
internal sealed record ChatMessagesBody(
    IReadOnlyDictionary<string, string> Inputs,
    string Query,
    string ResponseMode,
    string User,
    string ConversationId,
    bool AutoGenerateName);
