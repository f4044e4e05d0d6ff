namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>A running page turn as <see cref="ChatStops"/> knows it: <see cref="Token"/> fires when the follower presses stop.</summary>
public sealed class ChatStopScope : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly Action<ChatStopScope> onDispose;
    private int disposed;

    internal ChatStopScope(CancellationTokenSource source, Action<ChatStopScope> onDispose)
    {
        this.source = source;
        this.onDispose = onDispose;
    }

    /// <summary>Fires when the follower stops the answer or the caller's own token fires.</summary>
    public CancellationToken Token => source.Token;

    internal void Stop()
    {
        try
        {
            // Not on the publisher's thread: cancelling runs the Dify request's abort callbacks.
            _ = source.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            onDispose(this);
            source.Dispose();
        }
    }
}
