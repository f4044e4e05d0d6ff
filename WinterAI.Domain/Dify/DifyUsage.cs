namespace WinterAI.Domain.Dify;

public sealed record DifyUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
