namespace WinterAI.Domain.Dify.Wire;

/// <summary><c>message_end.metadata</c>; <c>usage</c> is absent on some app types and older servers.</summary>
internal sealed record DifyStreamMetadata(DifyUsageBody? Usage);
