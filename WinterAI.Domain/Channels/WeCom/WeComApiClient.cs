using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// The self-built app's side of WeCom's API: <c>message/send</c>, with the app's access_token from <c>gettoken</c>
/// held once for all instances by <see cref="AccessTokenCache"/> (refreshed ahead of expiry, and once when WeCom
/// calls it invalid or expired). errcode -1 (system busy) is retried with exponential backoff; every other
/// errcode is counted in <see cref="WeComMetrics"/> and thrown as a <see cref="PlatformApiException"/>.
/// </summary>
public sealed class WeComApiClient
{
    /// <summary>The key of the RestClient registered for this API (base address and timeout are set where it is registered).</summary>
    public const string RestClientKey = "wecom-api";

    /// <summary>Bounds each HTTP call to WeCom, token fetches included.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often errcode -1 is retried before the send counts as failed.</summary>
    public const int BusyRetries = 3;

    /// <summary>The wait before the first retry of errcode -1; each further retry waits twice as long.</summary>
    public static readonly TimeSpan BusyRetryDelay = TimeSpan.FromMilliseconds(250);

    private const int SystemBusy = -1;
    private const string SendPath = "/cgi-bin/message/send";
    private const string TokenPath = "/cgi-bin/gettoken";

    /// <summary>What WeCom documents when an answer leaves expires_in out.</summary>
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(7200);

    private readonly RestClient rest;
    private readonly WeComOptions options;
    private readonly PlatformApi api;
    private readonly WeComMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger<WeComApiClient> log;

    public WeComApiClient([FromKeyedServices(RestClientKey)] RestClient rest, IOptions<WeComOptions> options, AccessTokenCache tokens, WeComMetrics metrics, TimeProvider time, ILogger<WeComApiClient> log)
    {
        this.options = options.Value;
        this.metrics = metrics;
        this.time = time;
        this.log = log;
        this.rest = rest;
        api = new PlatformApi(rest, this.options.AccountId, tokens, FetchTokenAsync, log);
    }

    /// <summary>POST /cgi-bin/message/send to one member, as text or markdown (<see cref="WeComOptions.MessageType"/>).</summary>
    /// <summary>GET /cgi-bin/media/get: a picture or voice a member sent (kept by WeCom for 3 days), at most <paramref name="maxBytes"/>.</summary>
    public Task<byte[]> DownloadMediaAsync(string mediaId, long maxBytes, CancellationToken ct) =>
        api.DownloadAsync("/cgi-bin/media/get", new Dictionary<string, string> { ["media_id"] = mediaId }, maxBytes, ct);

    /// <exception cref="PlatformApiException">WeCom refused the message (after retries of -1), or could not be reached (-2).</exception>
    public Task SendAsync(string userId, string content, CancellationToken ct) => SendAsync(userId, content, options.MessageType, ct);

    /// <summary>POST /cgi-bin/message/send to one member, as <paramref name="type"/> whatever <see cref="WeComOptions.MessageType"/> says.</summary>
    /// <exception cref="PlatformApiException">WeCom refused the message (after retries of -1), or could not be reached (-2).</exception>
    public async Task SendAsync(string userId, string content, WeComMessageType type, CancellationToken ct)
    {
        var agentId = long.Parse(options.AgentId, NumberStyles.None, CultureInfo.InvariantCulture);
        var request = type == WeComMessageType.Markdown
            ? new TextMessageRequest(userId, "markdown", null, new TextContent(content), agentId)
            : new TextMessageRequest(userId, "text", new TextContent(content), null, agentId);
        await SendJsonAsync(JsonSerializer.Serialize(request, PlatformJsonContext.Wire.TextMessageRequest), ct);
    }

    /// <summary>POST /cgi-bin/message/send of a picture (<c>image</c>) or file (<c>file</c>) uploaded with <see cref="UploadAsync"/>.</summary>
    /// <exception cref="PlatformApiException">WeCom refused the message (after retries of -1), or could not be reached (-2).</exception>
    public Task SendMediaAsync(string userId, string type, string mediaId, CancellationToken ct)
    {
        var agentId = long.Parse(options.AgentId, NumberStyles.None, CultureInfo.InvariantCulture);
        var media = new MediaContent(mediaId);
        var request = type == "file"
            ? new MediaMessageRequest(userId, "file", null, media, agentId)
            : new MediaMessageRequest(userId, "image", media, null, agentId);
        return SendJsonAsync(JsonSerializer.Serialize(request, PlatformJsonContext.Wire.MediaMessageRequest), ct);
    }

    /// <summary>POST /cgi-bin/media/upload?type= (multipart <c>media</c>): temporary media for 3 days; its media_id.</summary>
    public Task<string> UploadAsync(string type, MediaFile file, CancellationToken ct) =>
        api.UploadAsync("/cgi-bin/media/upload", type, file.Content, file.FileName, file.ContentType, ct);

    private async Task SendJsonAsync(string json, CancellationToken ct)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                await api.CallAsync(SendPath, json, ct);
                metrics.Sent();
                return;
            }
            catch (PlatformApiException ex) when (ex.ErrorCode == SystemBusy && retry < BusyRetries)
            {
                var delay = BusyRetryDelay * Math.Pow(2, retry);
                metrics.Busy();
                log.LogInformation("WeCom answered errcode -1 (system busy) to {Path}; retrying in {Delay}.", SendPath, delay);
                await Task.Delay(delay, time, ct);
            }
            catch (PlatformApiException ex)
            {
                metrics.Failed(ex.ErrorCode);
                throw;
            }
        }
    }

    /// <summary>GET /cgi-bin/gettoken. WeCom has no forced refresh: once a token is refused it hands out a new one.</summary>
    private async Task<(string Token, TimeSpan ExpiresIn)> FetchTokenAsync(bool forceRefresh, CancellationToken ct)
    {
        var request = new RestRequest(TokenPath).AddQueryParameter("corpid", options.CorpId).AddQueryParameter("corpsecret", options.Secret);
        var result = await PlatformApi.SendAsync(rest, request, TokenPath, ct);
        if (result.ErrCode != 0)
        {
            throw new PlatformApiException(result.ErrCode, $"{TokenPath} answered errcode {result.ErrCode}: {result.ErrMsg}");
        }

        if (string.IsNullOrEmpty(result.AccessToken))
        {
            throw new PlatformApiException(PlatformApiException.TransportFailure, $"{TokenPath} answered without an access_token.");
        }

        return (result.AccessToken, result.ExpiresIn > 0 ? TimeSpan.FromSeconds(result.ExpiresIn) : DefaultTokenLifetime);
    }
}
