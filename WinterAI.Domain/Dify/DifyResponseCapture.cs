using System.Text.Json;
using RestSharp.Interceptors;
using WinterAI.Domain.Dify.Wire;

namespace WinterAI.Domain.Dify;

/// <summary>
/// RestSharp's streaming call hands back only the body, so this per-request interceptor takes the status, the
/// <c>Retry-After</c> and (for errors) Dify's small JSON error body while the response is still open.
/// </summary>
internal sealed class DifyResponseCapture(TimeProvider timeProvider, TimeSpan maxRetryDelay) : Interceptor
{
    const int MaxErrorBodyBytes = 16 * 1024;

    public int? Status { get; private set; }

    public DifyErrorBody? Error { get; private set; }

    public TimeSpan? RetryAfter { get; private set; }

    public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
    {
        Status = (int)responseMessage.StatusCode;
        if (responseMessage.IsSuccessStatusCode)
        {
            return;
        }

        RetryAfter = Dify.RetryAfter.ToDelay(responseMessage.Headers.RetryAfter, timeProvider.GetUtcNow(), maxRetryDelay);
        Error = await ReadErrorBodyAsync(responseMessage, cancellationToken).ConfigureAwait(false);
    }

    static async Task<DifyErrorBody?> ReadErrorBodyAsync(HttpResponseMessage message, CancellationToken ct)
    {
        var buffer = new byte[MaxErrorBodyBytes];
        var length = 0;
        await using (var body = await message.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), DifyJsonContext.Default.DifyErrorBody);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: the status alone has to do.
            return null;
        }
    }
}
