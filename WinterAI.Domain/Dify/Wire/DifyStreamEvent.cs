namespace WinterAI.Domain.Dify.Wire;

/// <summary>
/// The fields WinterAI reads from any stream event; everything else Dify sends (node events, tts, agent thoughts) is ignored by the serializer rather than modelled. <see cref="Data"/> is the workflow events' payload
/// (<c>text_chunk</c>, <c>workflow_finished</c>). <see cref="Type"/>, <see cref="BelongsTo"/> and <see cref="Url"/> are a
/// <c>message_file</c>'s (<c>{type: "image", belongs_to: "assistant", url}</c>).
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
    string? Message,
    DifyEventData? Data = null,
    string? Type = null,
    string? BelongsTo = null,
    string? Url = null);

/// <summary>
/// <c>data</c> of a workflow event: <c>text_chunk</c> carries <see cref="Text"/>; <c>workflow_finished</c> carries
/// <see cref="Status"/> (<c>succeeded</c>, <c>failed</c>, <c>stopped</c>, <c>partial-succeeded</c>), <see cref="Outputs"/> and <see cref="Error"/>.
/// </summary>
internal sealed record DifyEventData(string? Text, string? Status, System.Text.Json.JsonElement? Error, System.Text.Json.JsonElement? Outputs)
{
    public string? ErrorText => Error is { ValueKind: System.Text.Json.JsonValueKind.String } e ? e.GetString()
        : Error is { ValueKind: not (System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined) } other ? other.GetRawText()
        : null;
}
