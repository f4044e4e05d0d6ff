namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>DELETE /conversations/{id}</c>.</summary>
internal sealed record DeleteConversationBody(string User);
