namespace WinterAI.Testing;

/// <summary>One request the fake Dify received, recorded before it was answered.</summary>
/// <param name="Path">The request path, e.g. <c>/v1/chat-messages</c> or <c>/v1/conversations/{id}</c>.</param>
/// <param name="Authorization">The raw header, e.g. <c>Bearer app-...</c>; null when absent.</param>
/// <param name="RawBody">The body exactly as sent.</param>
/// <param name="ConversationId">Null when the body had none or an empty one.</param>
/// <param name="ReceivedAt">When it arrived, for gaps between retries.</param>
public sealed record FakeDifyCall(
    string Method,
    string Path,
    string? Authorization,
    string RawBody,
    string? Query,
    string? User,
    string? ConversationId,
    string? ResponseMode,
    bool? AutoGenerateName,
    DateTimeOffset ReceivedAt,
    FakeDifyUpload? Upload = null)
{
    public bool IsUpload => Method == "POST" && Path.EndsWith("/files/upload", StringComparison.Ordinal);

    /// <summary><c>POST /audio-to-text</c>: a recording to transcribe (in <see cref="Upload"/>).</summary>
    public bool IsAudioToText => Method == "POST" && Path.EndsWith("/audio-to-text", StringComparison.Ordinal);

    /// <summary>The <c>upload_file_id</c>s of a chat request's <c>files</c>, in order.</summary>
    public IReadOnlyList<string> FileIds
    {
        get
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(RawBody.Length == 0 ? "{}" : RawBody);
                return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && json.RootElement.TryGetProperty("files", out var files) && files.ValueKind == System.Text.Json.JsonValueKind.Array
                    ? files.EnumerateArray().Select(f => f.TryGetProperty("upload_file_id", out var id) ? id.GetString() ?? "" : "").ToList()
                    : [];
            }
            catch (System.Text.Json.JsonException)
            {
                return [];
            }
        }
    }

    public bool IsChat => Method == "POST" && Path.EndsWith("/chat-messages", StringComparison.Ordinal);

    /// <summary><c>POST /workflows/run</c>.</summary>
    public bool IsWorkflowRun => Method == "POST" && Path.EndsWith("/workflows/run", StringComparison.Ordinal);

    /// <summary><c>POST /completion-messages</c>.</summary>
    public bool IsCompletion => Method == "POST" && Path.EndsWith("/completion-messages", StringComparison.Ordinal);

    /// <summary><c>GET /info</c> or <c>GET /parameters</c>: what the app is.</summary>
    public bool IsProbe => Method == "GET" && (Path.EndsWith("/info", StringComparison.Ordinal) || Path.EndsWith("/parameters", StringComparison.Ordinal));

    /// <summary>Any request that asks for an answer, whatever the app type.</summary>
    public bool IsTurn => IsChat || IsWorkflowRun || IsCompletion;

    public bool IsStop => Method == "POST" && Path.EndsWith("/stop", StringComparison.Ordinal)
        && (Path.Contains("/chat-messages/", StringComparison.Ordinal) || Path.Contains("/completion-messages/", StringComparison.Ordinal) || Path.Contains("/workflows/tasks/", StringComparison.Ordinal));

    /// <summary>The request's <c>inputs</c> (string values; others as raw JSON).</summary>
    public IReadOnlyDictionary<string, string> Inputs
    {
        get
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(RawBody.Length == 0 ? "{}" : RawBody);
                return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && json.RootElement.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == System.Text.Json.JsonValueKind.Object
                    ? inputs.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText())
                    : new Dictionary<string, string>();
            }
            catch (System.Text.Json.JsonException)
            {
                return new Dictionary<string, string>();
            }
        }
    }

    public bool IsDeleteConversation => Method == "DELETE" && Path.Contains("/conversations/", StringComparison.Ordinal);
}

/// <summary>A file as the fake Dify received it with <c>POST /files/upload</c> or <c>POST /audio-to-text</c>.</summary>
public sealed record FakeDifyUpload(string FileName, string ContentType, byte[] Content, string User);
