using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels;

/// <summary>
/// The pictures of answers, for every channel that sends them natively: fetched only from the Dify host
/// (<see cref="DifyFileUrls"/>, no redirects followed), within <c>Media:MaxDownloadBytes</c> and
/// <c>Media:DownloadTimeout</c>, held in memory (no temporary files) and checked to be a JPEG, PNG, GIF or WebP picture.
/// A platform's media_id is kept in the store for two days (temporary media lives three), so another delivery or
/// instance sends the same upload instead of uploading again.
/// </summary>
public sealed class AnswerPictures(
    IStateStore store,
    StoreKeys keys,
    IOptions<DifyOptions> dify,
    IOptionsMonitor<MediaOptions> media,
    [FromKeyedServices(AnswerPictures.RestClientKey)] RestClient rest,
    ILogger<AnswerPictures> log)
{
    public const string RestClientKey = "dify-files";

    /// <summary>How long a media_id is reused: temporary media expires after 3 days.</summary>
    public static readonly TimeSpan MediaIdLifetime = TimeSpan.FromDays(2);

    /// <summary>The picture's bytes, from the Dify host only.</summary>
    /// <exception cref="MediaUnavailableException">Not on the Dify host, unreachable, too large, too slow, or not a picture.</exception>
    public async Task<MediaFile> FetchAsync(AnswerImage image, CancellationToken ct)
    {
        if (DifyFileUrls.OnDifyHost(dify.Value.BaseUrl, image.Url) is not { } url)
        {
            throw new MediaUnavailableException("the picture is not on the Dify host (Dify:BaseUrl)");
        }

        var limits = media.CurrentValue;
        var bytes = await PlatformMedia.DownloadAsync(limits, token => BoundedDownload.ReadAsync(rest, new RestRequest(url), limits.MaxDownloadBytes, "the answer's picture", token), ct);
        return ImageFiles.Describe(bytes) ?? throw new MediaUnavailableException("the answer's file is not a JPEG, PNG, GIF or WebP picture");
    }

    /// <summary>
    /// The platform's media_id for the picture: the one uploaded before for <paramref name="account"/>, else fetched and
    /// uploaded through <paramref name="upload"/>. Null when the picture cannot be fetched or uploaded: the caller sends its link.
    /// </summary>
    public async Task<string?> MediaIdAsync(string account, AnswerImage image, Func<MediaFile, CancellationToken, Task<string>> upload, CancellationToken ct)
    {
        var key = keys.UploadedMedia(account, Hash(image.Url));
        try
        {
            if (await store.GetAsync(key, ct) is { Length: > 0 } known)
            {
                return known;
            }
        }
        catch (StoreUnavailableException)
        {
            // Uploading again is only wasteful.
        }

        string mediaId;
        try
        {
            mediaId = await upload(await FetchAsync(image, ct), ct);
        }
        catch (MediaUnavailableException ex)
        {
            log.LogWarning("An answer's picture could not be fetched ({Reason}); the follower gets its link.", ex.Message);
            return null;
        }
        catch (PlatformApiException ex)
        {
            log.LogWarning("The platform refused an answer's picture (errcode {ErrCode}); the follower gets its link.", ex.ErrorCode);
            return null;
        }

        try
        {
            await store.SetAsync(key, mediaId, MediaIdLifetime, ct);
        }
        catch (StoreUnavailableException)
        {
            // The next delivery uploads again.
        }

        return mediaId;
    }

    // Dify's file URLs are signed and long: the key holds their hash, never the URL.
    private static string Hash(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..32];
}
