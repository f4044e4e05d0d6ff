using System.Text.Json;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Platform;

namespace WinterAI.Domain.WeChat.Api;

/// <summary>The official account's platform API: customer-service messages, typing, menus; access_token via stable_token.</summary>
public sealed class WeChatApiClient : IDisposable
{
    private readonly RestClient rest;
    private readonly WeChatOptions options;
    private readonly PlatformApi api;

    public WeChatApiClient(IOptions<WeChatOptions> options, AccessTokenCache tokens)
    {
        this.options = options.Value;
        rest = new RestClient(new RestClientOptions(this.options.ApiBaseUrl) { Timeout = TimeSpan.FromSeconds(10), ThrowOnAnyError = false });
        api = new PlatformApi(rest, this.options.AccountId, tokens, FetchTokenAsync);
    }

    /// <summary>POST /cgi-bin/message/custom/send (text).</summary>
    public Task SendTextAsync(string openId, string content, CancellationToken ct) =>
        api.CallAsync("/cgi-bin/message/custom/send", Serialize(new TextMessageRequest(openId, "text", new TextContent(content)), PlatformJsonContext.Default.TextMessageRequest), ct);

    /// <summary>POST /cgi-bin/message/custom/typing: shows "typing…" to the follower for a while.</summary>
    public Task TypingAsync(string openId, CancellationToken ct) =>
        api.CallAsync("/cgi-bin/message/custom/typing", Serialize(new TypingRequest(openId, "Typing"), PlatformJsonContext.Default.TypingRequest), ct);

    /// <summary>POST /cgi-bin/menu/create with an already validated menu document.</summary>
    public Task CreateMenuAsync(string menuJson, CancellationToken ct) => api.CallAsync("/cgi-bin/menu/create", menuJson, ct);

    private async Task<(string Token, TimeSpan ExpiresIn)> FetchTokenAsync(bool forceRefresh, CancellationToken ct)
    {
        var body = Serialize(new StableTokenRequest("client_credential", options.AppId, options.AppSecret, forceRefresh), PlatformJsonContext.Default.StableTokenRequest);
        var result = await PlatformApi.SendAsync(rest, new RestRequest("/cgi-bin/stable_token", Method.Post).AddStringBody(body, ContentType.Json), "/cgi-bin/stable_token", ct);
        if (result.ErrCode != 0 || string.IsNullOrEmpty(result.AccessToken))
        {
            throw new PlatformApiException(result.ErrCode, $"/cgi-bin/stable_token answered errcode {result.ErrCode}: {result.ErrMsg}");
        }

        return (result.AccessToken, TimeSpan.FromSeconds(result.ExpiresIn > 0 ? result.ExpiresIn : 7200));
    }

    private static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);

    public void Dispose() => rest.Dispose();
}
