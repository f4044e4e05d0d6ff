using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Protocol.Crypto;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// Fetches a picture a member sent the robot: downloads the message's encrypted URL (valid about five minutes) within
/// <see cref="MaxBytes"/> and <see cref="CallTimeout"/>, decrypts it with the message's <c>aeskey</c> (long-connection
/// mode) or the robot's EncodingAESKey (webhook mode), and checks that it is a picture.
/// </summary>
public sealed class RobotMedia(IOptionsMonitor<WeComRobotOptions> options, [FromKeyedServices(RobotMedia.RestClientKey)] RestClient rest) : IMediaSource
{
    public const string RestClientKey = "wecom-robot-media";

    /// <summary>The most a download may be: above Dify's largest image limit, with room for the padding.</summary>
    public const long MaxBytes = 20L * 1024 * 1024;

    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    public async Task<MediaFile> FetchAsync(Attachment attachment, CancellationToken ct)
    {
        if (!Uri.TryCreate(attachment.Source, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            // WeCom's URLs are https; plain http is taken only from this machine (test stand-ins).
            throw new MediaUnavailableException("the picture's URL is not an https URL");
        }

        var cipher = await DownloadAsync(url, ct);
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

        return ImageFiles.Describe(plain) ?? throw new MediaUnavailableException("the decrypted file is not a JPEG, PNG, GIF or WebP picture");
    }

    private async Task<byte[]> DownloadAsync(Uri url, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CallTimeout);
        try
        {
            await using var body = await rest.DownloadStreamAsync(new RestRequest(url), timeout.Token)
                ?? throw new MediaUnavailableException("the picture's download was refused (expired URL?)");
            using var content = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                if (content.Length + read > MaxBytes)
                {
                    throw new MediaUnavailableException($"the picture is larger than {MaxBytes / 1024 / 1024} MB", tooLarge: true);
                }

                content.Write(buffer, 0, read);
            }

            return content.Length > 0 ? content.ToArray() : throw new MediaUnavailableException("the picture's download was empty");
        }
        catch (HttpRequestException ex)
        {
            throw new MediaUnavailableException("the picture could not be downloaded", inner: ex);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new MediaUnavailableException($"the picture's download took longer than {CallTimeout.TotalSeconds:0} s");
        }
    }
}
