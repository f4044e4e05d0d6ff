using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace WinterAI.Tests.Fakes;

/// <summary>The answer stream of one page question, read event by event as the browser would.</summary>
public sealed class ChatStream : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private readonly Stream body;
    private readonly IAsyncEnumerator<SseItem<string>> events;

    private ChatStream(HttpResponseMessage response, Stream body)
    {
        Response = response;
        this.body = body;
        events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    public HttpResponseMessage Response { get; }

    /// <summary>Every event read so far.</summary>
    public List<ChatSse> Seen { get; } = [];

    public static async Task<ChatStream> OpenAsync(HttpClient http, string token, string question)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/ask")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { question }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ChatPageClient.TokenHeader, token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new ChatStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<ChatSse?> NextAsync(TimeSpan? wait = null)
    {
        if (!await events.MoveNextAsync().AsTask().WaitAsync(wait ?? DefaultWait))
        {
            return null;
        }

        var item = events.Current;
        var e = new ChatSse(item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone());
        Seen.Add(e);
        return e;
    }

    /// <summary>Reads up to and including the first event named <paramref name="name"/>; fails if the stream ends first.</summary>
    public async Task<ChatSse> NextNamedAsync(string name, TimeSpan? wait = null)
    {
        while (await NextAsync(wait) is { } e)
        {
            if (e.Name == name)
            {
                return e;
            }
        }

        throw new AssertionException($"The stream ended without a '{name}' event; saw: {string.Join(", ", Seen.Select(s => s.Name))}");
    }

    /// <summary>Reads every remaining event.</summary>
    public async Task<IReadOnlyList<ChatSse>> ReadToEndAsync(TimeSpan? wait = null)
    {
        while (await NextAsync(wait) is not null)
        {
        }

        return Seen;
    }

    public async ValueTask DisposeAsync()
    {
        await events.DisposeAsync();
        await body.DisposeAsync();
        Response.Dispose();
    }
}
