namespace WinterAI.Domain.Dify;

/// <summary>Dify's five kinds of app, each with its own service API route.</summary>
public enum DifyAppType
{
    /// <summary>Chatbot (<c>mode: chat</c>): <c>POST /chat-messages</c>.</summary>
    Chat,

    /// <summary>Agent (<c>mode: agent-chat</c>): <c>POST /chat-messages</c>, answers as <c>agent_message</c>.</summary>
    Agent,

    /// <summary>Chatflow (<c>mode: advanced-chat</c>): <c>POST /chat-messages</c>, with workflow and node events.</summary>
    Chatflow,

    /// <summary>Workflow (<c>mode: workflow</c>): <c>POST /workflows/run</c>, no conversation.</summary>
    Workflow,

    /// <summary>Text generator (<c>mode: completion</c>): <c>POST /completion-messages</c>, no conversation.</summary>
    Completion,
}

public static class DifyAppTypes
{
    /// <summary><c>Dify:AppType</c>'s value that asks Dify (<c>GET /info</c>).</summary>
    public const string Auto = "auto";

    /// <summary>The names <c>Dify:AppType</c> accepts besides <see cref="Auto"/>.</summary>
    public static readonly IReadOnlyDictionary<string, DifyAppType> ByName = new Dictionary<string, DifyAppType>(StringComparer.OrdinalIgnoreCase)
    {
        ["chat"] = DifyAppType.Chat,
        ["agent"] = DifyAppType.Agent,
        ["chatflow"] = DifyAppType.Chatflow,
        ["workflow"] = DifyAppType.Workflow,
        ["completion"] = DifyAppType.Completion,
    };

    /// <summary>Dify's <c>mode</c> (from <c>GET /info</c>) as an app type; null for a mode this version does not know.</summary>
    public static DifyAppType? FromMode(string? mode) => mode switch
    {
        "chat" => DifyAppType.Chat,
        "agent-chat" => DifyAppType.Agent,
        "advanced-chat" => DifyAppType.Chatflow,
        "workflow" => DifyAppType.Workflow,
        "completion" => DifyAppType.Completion,
        _ => null,
    };

    /// <summary>True for the apps that keep a conversation (chat, agent, chatflow).</summary>
    public static bool HasConversation(this DifyAppType type) => type is DifyAppType.Chat or DifyAppType.Agent or DifyAppType.Chatflow;

    /// <summary>The lower-case name, for logs and metrics.</summary>
    public static string Name(this DifyAppType type) => type.ToString().ToLowerInvariant();
}
