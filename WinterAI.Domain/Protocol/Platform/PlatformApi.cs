using System.Text.Json;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace WinterAI.Domain.Protocol.Platform;

/// <summary>
/// Calls one account's WeChat-style API (WeChat and WeCom share the errcode/access_token conventions): every call
/// carries the shared access_token; a token the platform calls invalid or expired is refreshed once and the call
/// retried. The token appears only in the query string sent to the platform, never in logs or exceptions.
/// </summary>
public sealed class PlatformApi(
    RestClient rest,
    string account,
    AccessTokenCache tokens,
    Func<bool, CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetchToken,
    ILogger log)
{
    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/>; throws <see cref="PlatformApiException"/> on a non-zero errcode.</summary>
    public async Task CallAsync(string path, string json, CancellationToken ct)
    {
        string? rejected = null;
        while (true)
        {
            var token = await tokens.GetAsync(account, fetchToken, rejected, ct);
            var request = new RestRequest(path, Method.Post).AddQueryParameter("access_token", token).AddStringBody(json, ContentType.Json);
            var result = await SendAsync(rest, request, path, ct);
            if (result.ErrCode == 0)
            {
                return;
            }

            var failure = new PlatformApiException(result.ErrCode, $"{path} answered errcode {result.ErrCode}: {result.ErrMsg}");
            if (!failure.IsTokenProblem || rejected is not null)
            {
                throw failure;
            }

            log.LogWarning("{Path} refused the access token of {Account} (errcode {ErrCode}); refreshing it and trying once more.", path, account, result.ErrCode);
            rejected = token;
        }
    }

    /// <summary>
    /// POSTs a file as multipart <c>media</c> (<c>/cgi-bin/media/upload?type=image</c>) and returns the platform's
    /// media_id; a refused token is refreshed once as for <see cref="CallAsync"/>.
    /// </summary>
    public async Task<string> UploadAsync(string path, string type, byte[] content, string fileName, string contentType, CancellationToken ct)
    {
        string? rejected = null;
        while (true)
        {
            var token = await tokens.GetAsync(account, fetchToken, rejected, ct);
            var request = new RestRequest(path, Method.Post) { AlwaysMultipartFormData = true }
                .AddQueryParameter("access_token", token)
                .AddQueryParameter("type", type)
                .AddFile("media", content, fileName, contentType);
            var result = await SendAsync(rest, request, path, ct);
            if (result.ErrCode == 0)
            {
                return result.MediaId is { Length: > 0 } mediaId
                    ? mediaId
                    : throw new PlatformApiException(PlatformApiException.TransportFailure, $"{path} answered without a media_id.");
            }

            var failure = new PlatformApiException(result.ErrCode, $"{path} answered errcode {result.ErrCode}: {result.ErrMsg}");
            if (!failure.IsTokenProblem || rejected is not null)
            {
                throw failure;
            }

            log.LogWarning("{Path} refused the access token of {Account} (errcode {ErrCode}); refreshing it and trying once more.", path, account, result.ErrCode);
            rejected = token;
        }
    }

    /// <summary>
    /// GETs a file (<c>/cgi-bin/media/get?media_id=</c>) of at most <paramref name="maxBytes"/>. The platform answers a
    /// refused download with a JSON errcode instead of the file: that is thrown as <see cref="PlatformApiException"/>, a
    /// refused token refreshed once as for <see cref="CallAsync"/>.
    /// </summary>
    public async Task<byte[]> DownloadAsync(string path, IReadOnlyDictionary<string, string> query, long maxBytes, CancellationToken ct)
    {
        string? rejected = null;
        while (true)
        {
            var token = await tokens.GetAsync(account, fetchToken, rejected, ct);
            var request = new RestRequest(path).AddQueryParameter("access_token", token);
            foreach (var (name, value) in query)
            {
                request.AddQueryParameter(name, value);
            }

            var bytes = await BoundedDownload.ReadAsync(rest, request, maxBytes, path, ct);
            if (bytes.Length == 0 || bytes[0] != (byte)'{')
            {
                return bytes.Length > 0 ? bytes : throw new PlatformApiException(PlatformApiException.TransportFailure, $"{path} answered an empty file.");
            }

            PlatformResult? result;
            try
            {
                result = JsonSerializer.Deserialize(bytes, PlatformJsonContext.Default.PlatformResult);
            }
            catch (JsonException)
            {
                // A file that happens to start with '{' (a text file): it is what was asked for.
                return bytes;
            }

            if (result is null || result.ErrCode == 0)
            {
                return bytes;
            }

            var failure = new PlatformApiException(result.ErrCode, $"{path} answered errcode {result.ErrCode}: {result.ErrMsg}");
            if (!failure.IsTokenProblem || rejected is not null)
            {
                throw failure;
            }

            log.LogWarning("{Path} refused the access token of {Account} (errcode {ErrCode}); refreshing it and trying once more.", path, account, result.ErrCode);
            rejected = token;
        }
    }

    /// <summary>Sends a request and reads the platform's JSON answer; transport failures become errcode -2.</summary>
    public static async Task<PlatformResult> SendAsync(RestClient rest, RestRequest request, string what, CancellationToken ct)
    {
        var response = await rest.ExecuteAsync(request, ct);
        ct.ThrowIfCancellationRequested();
        if (response.ResponseStatus != ResponseStatus.Completed || string.IsNullOrEmpty(response.Content))
        {
            // Only the status goes into the message: a transport error's text could quote the request URL, and with it the token.
            var status = response.StatusCode == 0 ? "no HTTP answer" : $"HTTP {(int)response.StatusCode}";
            throw new PlatformApiException(PlatformApiException.TransportFailure, $"{what} could not be called ({response.ResponseStatus}, {status}).", response.ErrorException);
        }

        try
        {
            return JsonSerializer.Deserialize(response.Content, PlatformJsonContext.Default.PlatformResult)
                ?? throw new PlatformApiException(PlatformApiException.TransportFailure, $"{what} answered an empty JSON document.");
        }
        catch (JsonException ex)
        {
            throw new PlatformApiException(PlatformApiException.TransportFailure, $"{what} answered something that is not JSON (HTTP {(int)response.StatusCode}).", ex);
        }
    }
}
