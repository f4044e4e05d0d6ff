namespace WinterAI.Domain.Dify.Wire;

/// <summary>The JSON body of <c>POST /chat-messages</c>.</summary>
/// <param name="ConversationId">Empty starts a new conversation; Dify accepts "" where it expects a UUID.</param>
internal sealed record ChatMessagesBody(
    IReadOnlyDictionary<string, string> Inputs,
    string Query,
    string ResponseMode,
    string User,
    string ConversationId,
    bool AutoGenerateName,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ChatFileBody>? Files = null);

/// <summary>One entry of <c>files</c>: a file uploaded with <c>POST /files/upload</c> (<c>transfer_method: local_file</c>).</summary>
internal sealed record ChatFileBody(string Type, string TransferMethod, string UploadFileId);
