
namespace WinterAI.Domain.Protocol.Messages;

/// <param name="MediaId">An uploaded media item's id.</param>
/// <param name="Title">Left out of the XML when null.</param>
/// <param name="Description">Left out of the XML when null.</param>
public sealed record VideoReply(string MediaId, string? Title = null, string? Description = null) : Reply;
