namespace WinterAI.Web.Admin;

/// <param name="Pages">The answer's pages as WeChat shows them (footer included).</param>
/// <param name="PagesRead">Pages handed out so far (passively, pushed or by <c>1</c>).</param>
public sealed record TurnState(
    string MessageKey,
    string Question,
    DateTimeOffset AskedAt,
    bool Answered,
    bool Failed,
    string? Answer,
    IReadOnlyList<string> Pages,
    long PagesRead);
