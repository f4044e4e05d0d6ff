
namespace WinterAI.Domain.Protocol.Messages;

/// <param name="Content">
/// Plain text. WeChat shows nothing at all when it exceeds 2048 UTF-8 bytes; splitting long answers is the
/// caller's job, this record does not check.
/// </param>
public sealed record TextReply(string Content) : Reply;
