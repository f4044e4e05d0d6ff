namespace WinterAI.Domain.Dify;

/// <param name="Files">Pictures and files the assistant sent with the answer (<c>message_file</c>), URLs as Dify wrote them (maybe relative to its host).</param>
public sealed record DifyAnswer(string Text, string ConversationId, string? MessageId, DifyUsage? Usage, IReadOnlyList<DifyAnswerFile>? Files = null);
