
namespace WinterAI.Domain.Protocol.Messages;

/// <param name="MediaId">An uploaded media item's id.</param>
public sealed record ImageReply(string MediaId) : Reply;
