namespace WinterAI.Web.Chat;

/// <summary>The <c>text</c> of a <c>delta</c> or <c>replace</c> event.</summary>
public sealed record ChatText(string Text);
