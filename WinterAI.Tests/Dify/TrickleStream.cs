namespace WinterAI.Tests.Dify;

/// <summary>Hands out its bytes at most <paramref name="bytesPerRead"/> at a time, like a slow network.</summary>
sealed class TrickleStream(byte[] bytes, int bytesPerRead = 1) : MemoryStream(bytes, writable: false)
{
    public int Reads { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, Math.Min(count, bytesPerRead)));

    public override int Read(Span<byte> buffer) => Count(base.Read(buffer[..Math.Min(buffer.Length, bytesPerRead)]));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Count(base.Read(buffer.Span[..Math.Min(buffer.Length, bytesPerRead)])));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    int Count(int read)
    {
        Reads++;
        return read;
    }
}
