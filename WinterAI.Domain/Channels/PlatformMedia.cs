using RestSharp;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels;

/// <summary>
/// What the channels share about fetching a follower's file: the time and size bounds of <see cref="MediaOptions"/>,
/// downloads only from allowed hosts, and a fetched picture named and typed by what it is.
/// </summary>
public static class PlatformMedia
{
    /// <summary>Runs a download within <see cref="MediaOptions.DownloadTimeout"/>, turning every refusal into a <see cref="MediaUnavailableException"/>.</summary>
    public static async Task<byte[]> DownloadAsync(MediaOptions options, Func<CancellationToken, Task<byte[]>> download, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.DownloadTimeout);
        try
        {
            return await download(timeout.Token);
        }
        catch (PlatformApiException ex) when (ex.ErrorCode == PlatformApiException.TooLarge)
        {
            throw new MediaUnavailableException($"the file is larger than {options.MaxDownloadBytes} bytes", tooLarge: true, inner: ex);
        }
        catch (PlatformApiException ex)
        {
            throw new MediaUnavailableException(ex.Message, inner: ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new MediaUnavailableException($"the download took longer than {options.DownloadTimeout.TotalSeconds:0} s", inner: ex);
        }
    }

    /// <summary>GETs <paramref name="url"/> when <see cref="MediaOptions.Allows"/> it; never follows a redirect elsewhere.</summary>
    public static Task<byte[]> DownloadUrlAsync(RestClient rest, MediaOptions options, string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || !options.Allows(target))
        {
            // Never the URL itself in the message: it may carry the platform's credentials.
            throw new MediaUnavailableException("the file's URL is not on an allowed media host (Media:AllowedHosts)");
        }

        return DownloadAsync(options, token => BoundedDownload.ReadAsync(rest, new RestRequest(target), options.MaxDownloadBytes, "the file's URL", token), ct);
    }

    /// <summary>A fetched file as the attachment's type wants it: a picture must be one; a recording is named by its format.</summary>
    public static MediaFile Describe(Attachment attachment, byte[] content) => attachment.Type switch
    {
        Attachment.ImageType => ImageFiles.Describe(content) ?? throw new MediaUnavailableException("the file is not a JPEG, PNG, GIF or WebP picture"),
        Attachment.AudioType => DescribeRecording(attachment.Key, content),
        _ => new MediaFile(content, $"{attachment.Type}.bin", "application/octet-stream"),
    };

    /// <summary>WeChat's recordings are AMR (<c>#!AMR</c>) or Speex; the content decides over the format the message named.</summary>
    private static MediaFile DescribeRecording(string? format, byte[] content)
    {
        if (content.AsSpan().StartsWith("#!AMR"u8))
        {
            return new MediaFile(content, "voice.amr", "audio/amr");
        }

        var named = (format ?? "").Trim().ToLowerInvariant();
        return named is "speex" or "spx"
            ? new MediaFile(content, "voice.speex", "audio/speex")
            : new MediaFile(content, "voice.bin", "application/octet-stream");
    }
}
