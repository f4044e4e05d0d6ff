using System.Text;

namespace WinterAI.Web.Infrastructure;

/// <summary>Reads a callback body with a hard size limit, whether or not the client sent Content-Length.</summary>
public static class CallbackBody
{
    /// <summary>Real WeChat/WeCom callbacks are a few KB; anything above this is refused with 413.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body as UTF-8 text, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
