using System.Text.Json.Serialization;

namespace WinterAI.Domain.Protocol.Platform;

/// <summary>A text message for WeChat's custom/send and WeCom's message/send (which also needs the agent id; markdown uses Markdown).</summary>
public sealed record TextMessageRequest(
    string Touser,
    string Msgtype,
    [property: JsonPropertyName("text")] TextContent? Text,
    [property: JsonPropertyName("markdown")] TextContent? Markdown = null,
    [property: JsonPropertyName("agentid")] long? AgentId = null);
