using WinterAI.Domain.Dify.Wire;

namespace WinterAI.Domain.Dify;

/// <summary>What one read of a chat-messages stream produced.</summary>
/// <param name="Completed">True when <c>message_end</c> arrived.</param>
/// <param name="Error">The <c>error</c> event that ended the stream, if one did.</param>
/// <param name="WorkflowFinished">A workflow's <c>workflow_finished</c> data (status, outputs), when the stream was a workflow's.</param>
/// <param name="Files">The assistant's <c>message_file</c> events, in order, each URL once.</param>
/// <param name="MalformedFrames">Frames whose data was not JSON; skipped like unknown events.</param>
internal sealed record DifyStreamResult(
    string Text,
    string? ConversationId,
    string? MessageId,
    DifyUsage? Usage,
    bool Completed,
    DifyErrorBody? Error,
    int MalformedFrames,
    DifyEventData? WorkflowFinished = null,
    IReadOnlyList<DifyAnswerFile>? Files = null);
