using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>An answer spoken back on the official account: uploaded as temporary voice media (needs <c>WeChat:AppSecret</c>).</summary>
public sealed class OfficialAccountVoice(WeChatApiClient api, IOptionsMonitor<WeChatOptions> options) : IVoiceOut
{
    public async Task<string> UploadVoiceAsync(byte[] mp3, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.CurrentValue.AppSecret))
        {
            throw new MediaUnavailableException("voice replies need WeChat:AppSecret to upload the voice");
        }

        try
        {
            return await api.UploadVoiceAsync(mp3, ct);
        }
        catch (PlatformApiException ex)
        {
            throw new MediaUnavailableException(ex.Message, inner: ex);
        }
    }
}
