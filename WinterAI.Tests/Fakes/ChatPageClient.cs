using System.Net.Http.Json;
using System.Text.Json;

namespace WinterAI.Tests.Fakes;

/// <summary>Calls the H5 page's API the way its script does: the link token in a header on every call.</summary>
public sealed class ChatPageClient(HttpClient http, string token)
{
    public const string TokenHeader = "X-Chat-Token";

    public string Token { get; } = token;

    public Task<HttpResponseMessage> OpenAsync() => http.GetAsync($"/chat?t={Uri.EscapeDataString(Token)}");

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) => SendAsync(method, path, Token);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add(TokenHeader, token);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { question = "hi" });
        }

        return await http.SendAsync(request);
    }

    /// <summary>The follower's turns, oldest first, as <c>GET /chat/history</c> returns them.</summary>
    public async Task<IReadOnlyList<JsonElement>> HistoryAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/chat/history");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("turns").EnumerateArray().Select(t => t.Clone()).ToList();
    }

    public Task<ChatStream> AskAsync(string question) => ChatStream.OpenAsync(http, Token, question);

    /// <summary>Asks and reads the whole stream.</summary>
    public async Task<IReadOnlyList<ChatSse>> AskToEndAsync(string question)
    {
        await using var stream = await AskAsync(question);
        return [.. await stream.ReadToEndAsync()];
    }

    public async Task<string> ClearAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/chat/clear");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("message").GetString()!;
    }

    public async Task StopAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/chat/stop");
        response.EnsureSuccessStatusCode();
    }
}
