using System.Text;

namespace WinterAI.Web.ChatPage;

/// <summary>
/// Writes server-sent events to a response, one flushed write per event, plus a comment line every
/// <c>heartbeat</c> so that proxies (nginx closes an idle upstream after 60 s) keep the stream open while Dify
/// thinks. A client that went away makes later writes no-ops: the request's abort token stops the work itself.
/// </summary>
public sealed class SseWriter : IAsyncDisposable
{
    private readonly Stream body;
    private readonly CancellationToken aborted;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task heartbeat;
    private volatile bool gone;

    public SseWriter(Stream body, TimeProvider time, TimeSpan heartbeatInterval, CancellationToken aborted)
    {
        this.body = body;
        this.aborted = aborted;
        heartbeat = BeatAsync(time, heartbeatInterval);
    }

    /// <summary><paramref name="data"/> must be one line (compact JSON is).</summary>
    public Task SendAsync(string eventName, string data) => WriteAsync($"event: {eventName}\ndata: {data}\n\n");

    private async Task WriteAsync(string text)
    {
        if (gone)
        {
            return;
        }

        try
        {
            await writing.WaitAsync(aborted);
            try
            {
                await body.WriteAsync(Encoding.UTF8.GetBytes(text), aborted);
                await body.FlushAsync(aborted);
            }
            finally
            {
                writing.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            gone = true;
        }
    }

    private async Task BeatAsync(TimeProvider time, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                await WriteAsync(": keep-alive\n\n");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await heartbeat;
        stopping.Dispose();
        writing.Dispose();
    }
}
