namespace WinterAI.Domain.Dify;

/// <param name="User">Dify's stable end-user id (one per account + follower).</param>
/// <param name="ConversationId">Null or empty starts a new conversation.</param>
public sealed record DifyChatRequest(string Query, string User, string? ConversationId);
