using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>The official account's platform API: customer-service messages, typing, menus; access_token via stable_token.</summary>
public sealed class WeChatApiClient
{
    /// <summary>The key of the RestClient registered for this API (base address and timeout are set where it is registered).</summary>
    public const string RestClientKey = "wechat-api";

    /// <summary>Bounds each HTTP call to the platform, token fetches included.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What the platform documents when an answer leaves expires_in out.</summary>
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(7200);

    private readonly RestClient rest;
    private readonly WeChatOptions options;
    private readonly PlatformApi api;

    public WeChatApiClient([FromKeyedServices(RestClientKey)] RestClient rest, IOptions<WeChatOptions> options, AccessTokenCache tokens, ILogger<WeChatApiClient> log)
    {
        this.options = options.Value;
        this.rest = rest;
        api = new PlatformApi(rest, this.options.AccountId, tokens, FetchTokenAsync, log);
    }

    /// <summary>POST /cgi-bin/message/custom/send (text).</summary>
    public Task SendTextAsync(string openId, string content, CancellationToken ct) =>
        api.CallAsync("/cgi-bin/message/custom/send", Serialize(new TextMessageRequest(openId, "text", new TextContent(content)), PlatformJsonContext.Wire.TextMessageRequest), ct);

    /// <summary>POST /cgi-bin/message/custom/send (image): a picture uploaded with <see cref="UploadImageAsync"/>.</summary>
    public Task SendImageAsync(string openId, string mediaId, CancellationToken ct) =>
        api.CallAsync("/cgi-bin/message/custom/send", Serialize(new MediaMessageRequest(openId, "image", new MediaContent(mediaId)), PlatformJsonContext.Wire.MediaMessageRequest), ct);

    /// <summary>POST /cgi-bin/message/custom/send (voice): an answer read out, uploaded with <see cref="UploadVoiceAsync"/>.</summary>
    public Task SendVoiceAsync(string openId, string mediaId, CancellationToken ct) =>
        api.CallAsync("/cgi-bin/message/custom/send", Serialize(new MediaMessageRequest(openId, "voice", null, Voice: new MediaContent(mediaId)), PlatformJsonContext.Wire.MediaMessageRequest), ct);

    /// <summary>POST /cgi-bin/media/upload?type=image (multipart <c>media</c>): temporary media for 3 days; its media_id.</summary>
    public Task<string> UploadImageAsync(MediaFile file, CancellationToken ct) =>
        api.UploadAsync("/cgi-bin/media/upload", "image", file.Content, file.FileName, file.ContentType, ct);

    /// <summary>POST /cgi-bin/media/upload?type=voice: an MP3 (at most 2 MB, 60 s) as temporary voice media; its media_id.</summary>
    public Task<string> UploadVoiceAsync(byte[] mp3, CancellationToken ct) =>
        api.UploadAsync("/cgi-bin/media/upload", "voice", mp3, "answer.mp3", "audio/mpeg", ct);

    /// <summary>POST /cgi-bin/message/custom/typing: shows "typing…" to the follower for a while.</summary>
    public Task TypingAsync(string openId, CancellationToken ct) =>
        api.CallAsync("/cgi-bin/message/custom/typing", Serialize(new TypingRequest(openId, "Typing"), PlatformJsonContext.Wire.TypingRequest), ct);

    /// <summary>GET /cgi-bin/media/get: a picture or voice a follower sent (kept by WeChat for 3 days), at most <paramref name="maxBytes"/>.</summary>
    public Task<byte[]> DownloadMediaAsync(string mediaId, long maxBytes, CancellationToken ct) =>
        api.DownloadAsync("/cgi-bin/media/get", new Dictionary<string, string> { ["media_id"] = mediaId }, maxBytes, ct);

    /// <summary>POST /cgi-bin/menu/create with an already validated menu document.</summary>
    public Task CreateMenuAsync(string menuJson, CancellationToken ct) => api.CallAsync("/cgi-bin/menu/create", menuJson, ct);

    private async Task<(string Token, TimeSpan ExpiresIn)> FetchTokenAsync(bool forceRefresh, CancellationToken ct)
    {
        const string path = "/cgi-bin/stable_token";
        var body = Serialize(new StableTokenRequest("client_credential", options.AppId, options.AppSecret, forceRefresh), PlatformJsonContext.Wire.StableTokenRequest);
        var result = await PlatformApi.SendAsync(rest, new RestRequest(path, Method.Post).AddStringBody(body, ContentType.Json), path, ct);
        if (result.ErrCode != 0)
        {
            throw new PlatformApiException(result.ErrCode, $"{path} answered errcode {result.ErrCode}: {result.ErrMsg}");
        }

        if (string.IsNullOrEmpty(result.AccessToken))
        {
            throw new PlatformApiException(PlatformApiException.TransportFailure, $"{path} answered without an access_token.");
        }

        return (result.AccessToken, result.ExpiresIn > 0 ? TimeSpan.FromSeconds(result.ExpiresIn) : DefaultTokenLifetime);
    }

    private static string Serialize<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);
}
