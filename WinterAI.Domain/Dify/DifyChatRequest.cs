namespace WinterAI.Domain.Dify;

/// <param name="User">Dify's stable end-user id (one per account + follower).</param>
/// <param name="ConversationId">Null or empty starts a new conversation.</param>
/// <param name="Files">Files uploaded for this question (<see cref="IDifyClient.UploadFileAsync"/>), sent as <c>files</c>.</param>
/// <param name="Inputs">The app's input variables (<c>inputs</c>); null sends none.</param>
/// <param name="AppType">
/// Which route answers: <c>chat-messages</c> (chat, agent, chatflow), <c>workflows/run</c> or <c>completion-messages</c>
/// (the question then goes into the input <c>Dify:WorkflowQueryInput</c>, and there is no conversation).
/// </param>
public sealed record DifyChatRequest(
    string Query,
    string User,
    string? ConversationId,
    IReadOnlyList<DifyFileRef>? Files = null,
    IReadOnlyDictionary<string, string>? Inputs = null,
    DifyAppType AppType = DifyAppType.Chat);

/// <summary>A file Dify already holds: <paramref name="Type"/> is Dify's file type (<c>image</c>, <c>audio</c>, <c>document</c>).</summary>
public sealed record DifyFileRef(string Type, string UploadFileId);

/// <summary>A file to upload with <c>POST /files/upload</c>.</summary>
public sealed record DifyUpload(byte[] Content, string FileName, string ContentType);
