namespace WinterAI.Domain.Dify.Wire;

/// <summary>
/// The fields WinterAI reads from any stream event; everything else Dify sends (workflow, node, tts, agent
/// thoughts, files) is ignored by the serializer rather than modelled.
/// </summary>
internal sealed record DifyStreamEvent(
    string? Event,
    string? TaskId,
    string? ConversationId,
    string? MessageId,
    string? Id,
    string? Answer,
    DifyStreamMetadata? Metadata,
    int? Status,
    string? Code,
    string? Message);
