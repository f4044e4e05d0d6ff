namespace WinterAI.Domain.Dify.Wire;

/// <summary><c>metadata.usage</c>; Dify also sends prices and latency, which WinterAI does not use.</summary>
internal sealed record DifyUsageBody(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public DifyUsage ToUsage() => new(PromptTokens, CompletionTokens, TotalTokens);
}
