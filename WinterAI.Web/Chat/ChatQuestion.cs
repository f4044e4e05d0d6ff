namespace WinterAI.Web.Chat;

/// <summary>The body of <c>POST /chat/ask</c>.</summary>
public sealed record ChatQuestion(string? Question);
