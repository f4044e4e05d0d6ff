using RestSharp;

namespace WinterAI.Domain.Protocol.Platform;

/// <summary>Reads a download whole, refusing it as soon as it grows past a size: a large file is never buffered.</summary>
public static class BoundedDownload
{
    /// <exception cref="PlatformApiException">Refused (HTTP error), unreachable, or larger than <paramref name="maxBytes"/> (<see cref="PlatformApiException.TooLarge"/>).</exception>
    public static async Task<byte[]> ReadAsync(RestClient rest, RestRequest request, long maxBytes, string what, CancellationToken ct)
    {
        Stream? body;
        try
        {
            body = await rest.DownloadStreamAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new PlatformApiException(PlatformApiException.TransportFailure, $"{what} could not be downloaded.", ex);
        }

        if (body is null)
        {
            throw new PlatformApiException(PlatformApiException.TransportFailure, $"{what} refused the download.");
        }

        await using (body)
        {
            using var content = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (content.Length + read > maxBytes)
                {
                    throw new PlatformApiException(PlatformApiException.TooLarge, $"{what} is larger than {maxBytes} bytes.");
                }

                content.Write(buffer, 0, read);
            }

            return content.ToArray();
        }
    }
}
