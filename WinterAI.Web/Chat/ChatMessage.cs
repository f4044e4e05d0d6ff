namespace WinterAI.Web.Chat;

/// <summary>A text for the page to show: the "cleared" confirmation, a refusal, an error.</summary>
/// <param name="Error">A machine-readable reason for errors (<c>expired</c>, <c>unavailable</c>, <c>invalid</c>); null otherwise.</param>
public sealed record ChatMessage(string Message, string? Error = null);
