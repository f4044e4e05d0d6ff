using System.Text.Json;

namespace WinterAI.Tests.Fakes;

/// <summary>One server-sent event from <c>POST /chat/ask</c>.</summary>
public sealed record ChatSse(string Name, JsonElement Data)
{
    public string Text => Data.GetProperty("text").GetString()!;

    public string Message => Data.GetProperty("message").GetString()!;

    public string? Answer => Data.GetProperty("answer").GetString();
}
