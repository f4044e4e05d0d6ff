namespace WinterAI.Domain.Protocol.Messages;

/// <param name="MediaId">A picture uploaded through <c>/cgi-bin/media/upload?type=image</c> (temporary media, 3 days).</param>
public sealed record ImageReply(string MediaId) : Reply;
