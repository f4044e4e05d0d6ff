namespace WinterAI.Domain.Protocol.Platform;

/// <summary>POST /cgi-bin/message/custom/typing: command "Typing" or "CancelTyping".</summary>
public sealed record TypingRequest(string Touser, string Command);
