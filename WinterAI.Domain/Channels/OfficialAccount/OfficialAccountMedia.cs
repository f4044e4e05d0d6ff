using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>
/// A picture or recording a follower sent the official account: through <c>/cgi-bin/media/get</c> with its MediaId (needs
/// <c>WeChat:AppSecret</c>), else, for a picture, from its <c>PicUrl</c> — only on WeChat's picture hosts (<see cref="MediaOptions"/>).
/// </summary>
public sealed class OfficialAccountMedia(
    WeChatApiClient api,
    IOptionsMonitor<WeChatOptions> options,
    IOptionsMonitor<MediaOptions> media,
    [FromKeyedServices(OfficialAccountMedia.MediaRestClientKey)] RestClient rest,
    ILogger<OfficialAccountMedia> log) : IMediaSource
{
    public const string MediaRestClientKey = "wechat-media";

    public async Task<MediaFile> FetchAsync(Attachment attachment, CancellationToken ct)
    {
        var limits = media.CurrentValue;
        MediaUnavailableException? apiFailure = null;
        if (!string.IsNullOrWhiteSpace(options.CurrentValue.AppSecret) && attachment.Source.Length > 0)
        {
            try
            {
                var bytes = await PlatformMedia.DownloadAsync(limits, token => api.DownloadMediaAsync(attachment.Source, limits.MaxDownloadBytes, token), ct);
                return PlatformMedia.Describe(attachment, bytes);
            }
            catch (MediaUnavailableException ex) when (!ex.TooLarge)
            {
                apiFailure = ex;
            }
        }

        if (attachment.Type != Attachment.ImageType)
        {
            throw apiFailure ?? new MediaUnavailableException("a recording is fetched through media/get only, and WeChat:AppSecret is empty");
        }

        if (attachment.Key is not { Length: > 0 } picUrl)
        {
            throw apiFailure ?? new MediaUnavailableException("the message has neither a MediaId WinterAI can fetch (WeChat:AppSecret is empty) nor a PicUrl");
        }

        if (apiFailure is not null)
        {
            log.LogInformation("media/get did not give the picture ({Reason}); trying its PicUrl.", apiFailure.Message);
        }

        return PlatformMedia.Describe(attachment, await PlatformMedia.DownloadUrlAsync(rest, limits, picUrl, ct));
    }
}
