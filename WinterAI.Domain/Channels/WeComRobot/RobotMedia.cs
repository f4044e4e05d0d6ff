using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Protocol.Crypto;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// Fetches a picture a member sent the robot: downloads the message's encrypted URL (valid about five minutes; only
/// from <see cref="MediaOptions.AllowedHosts"/>, within its size and time bounds), decrypts it with the message's
/// <c>aeskey</c> (long-connection mode) or the robot's EncodingAESKey (webhook mode), and checks that it is a picture.
/// </summary>
public sealed class RobotMedia(
    IOptionsMonitor<WeComRobotOptions> options,
    IOptionsMonitor<MediaOptions> media,
    [FromKeyedServices(RobotMedia.RestClientKey)] RestClient rest) : IMediaSource
{
    public const string RestClientKey = "wecom-robot-media";

    public async Task<MediaFile> FetchAsync(Attachment attachment, CancellationToken ct)
    {
        var cipher = await PlatformMedia.DownloadUrlAsync(rest, media.CurrentValue, attachment.Source, ct);
        byte[] plain;
        try
        {
            var key = attachment.Key is { Length: > 0 } aesKey ? MediaCrypto.DecodeKey(aesKey) : MessageCrypto.DecodeAesKey(options.CurrentValue.EncodingAESKey);
            plain = MediaCrypto.Decrypt(key, cipher);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new MediaUnavailableException("the picture could not be decrypted (wrong key or damaged download)", inner: ex);
        }

        return PlatformMedia.Describe(attachment, plain);
    }
}
