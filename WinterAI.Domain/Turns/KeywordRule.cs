namespace WinterAI.Domain.Turns;

/// <summary>
/// A keyword reply answered without Dify (<c>Messages:KeywordRules:N</c>). <see cref="Pattern"/> matches the whole
/// trimmed message exactly, or, with <see cref="Regex"/>, anywhere in it (anchor with ^ and $ to match it all).
/// </summary>
public sealed class KeywordRule
{
    public string Pattern { get; set; } = "";

    public bool Regex { get; set; }

    /// <summary>The reply; <c>@help</c> means the help text.</summary>
    public string Reply { get; set; } = "";
}
