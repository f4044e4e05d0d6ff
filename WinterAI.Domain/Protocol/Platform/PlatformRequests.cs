using System.Text.Json.Serialization;

namespace WinterAI.Domain.Protocol.Platform;

/// <summary>POST /cgi-bin/stable_token.</summary>
public sealed record StableTokenRequest(string GrantType, string Appid, string Secret, bool ForceRefresh);

/// <summary>POST /cgi-bin/message/custom/typing: command "Typing" or "CancelTyping".</summary>
public sealed record TypingRequest(string Touser, string Command);

/// <summary>A text message for WeChat's custom/send and WeCom's message/send (which also needs the agent id; markdown uses Markdown).</summary>
public sealed record TextMessageRequest(
    string Touser,
    string Msgtype,
    [property: JsonPropertyName("text")] TextContent? Text,
    [property: JsonPropertyName("markdown")] TextContent? Markdown = null,
    [property: JsonPropertyName("agentid")] long? AgentId = null);

public sealed record TextContent(string Content);

/// <summary>A picture or file message for WeChat's custom/send (<c>msgtype: image</c>) and WeCom's message/send (<c>image</c>, <c>file</c>; with the agent id).</summary>
public sealed record MediaMessageRequest(
    string Touser,
    string Msgtype,
    [property: JsonPropertyName("image")] MediaContent? Image,
    [property: JsonPropertyName("file")] MediaContent? File = null,
    [property: JsonPropertyName("agentid")] long? AgentId = null,
    [property: JsonPropertyName("voice")] MediaContent? Voice = null);

public sealed record MediaContent(string MediaId);
