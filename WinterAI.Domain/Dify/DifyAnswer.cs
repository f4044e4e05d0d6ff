namespace WinterAI.Domain.Dify;

public sealed record DifyAnswer(string Text, string ConversationId, string? MessageId, DifyUsage? Usage);
