namespace WinterAI.Domain.Protocol.Messages;

/// <param name="MediaId">A picture uploaded through <c>/cgi-bin/media/upload?type=image</c> (temporary media, 3 days).</param>
public sealed record ImageReply(string MediaId) : Reply;

/// <param name="MediaId">An answer read out, uploaded through <c>/cgi-bin/media/upload?type=voice</c> (temporary media, 3 days).</param>
public sealed record VoiceReply(string MediaId) : Reply;
