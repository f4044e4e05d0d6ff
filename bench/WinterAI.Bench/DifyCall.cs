namespace WinterAI.Bench;

/// <summary>One <c>POST /v1/chat-messages</c> the fake Dify received, with the instants that matter (bench clock, ms).</summary>
public sealed class DifyCall(string query, string user, string? conversationId, double receivedAtMs)
{
    public string Query { get; } = query;

    public string User { get; } = user;

    public string? ConversationId { get; } = conversationId;

    public double ReceivedAtMs { get; } = receivedAtMs;

    /// <summary>When <c>message_end</c> was written and flushed: the answer existed from here on.</summary>
    public double? EndedAtMs { get; set; }

    /// <summary>WinterAI dropped the stream before <c>message_end</c>.</summary>
    public bool Aborted { get; set; }

    public string? Answer { get; set; }
}
