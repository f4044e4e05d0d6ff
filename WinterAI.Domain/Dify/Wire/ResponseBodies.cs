namespace WinterAI.Domain.Dify.Wire;

/// <summary>Dify's error shape, both as an HTTP error body and inside an <c>error</c> stream event.</summary>
internal sealed record DifyErrorBody(string? Code, string? Message, int? Status);

/// <summary><c>message_end.metadata</c>; <c>usage</c> is absent on some app types and older servers.</summary>
internal sealed record DifyStreamMetadata(DifyUsageBody? Usage);

/// <summary><c>metadata.usage</c>; Dify also sends prices and latency, which WinterAI does not use.</summary>
internal sealed record DifyUsageBody(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public DifyUsage ToUsage() => new(PromptTokens, CompletionTokens, TotalTokens);
}
