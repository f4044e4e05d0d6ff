using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>A picture or recording a member sent the WeCom app: through WeCom's <c>/cgi-bin/media/get</c> with its MediaId.</summary>
public sealed class WeComMedia(WeComApiClient api, IOptionsMonitor<MediaOptions> media) : IMediaSource
{
    public async Task<MediaFile> FetchAsync(Attachment attachment, CancellationToken ct)
    {
        var limits = media.CurrentValue;
        var bytes = await PlatformMedia.DownloadAsync(limits, token => api.DownloadMediaAsync(attachment.Source, limits.MaxDownloadBytes, token), ct);
        return PlatformMedia.Describe(attachment, bytes);
    }
}
