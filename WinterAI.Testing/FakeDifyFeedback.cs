namespace WinterAI.Testing;

/// <summary>A rating the fake Dify took with <c>POST /messages/{id}/feedbacks</c>.</summary>
/// <param name="Rating"><c>like</c>, <c>dislike</c>, or null (withdrawn).</param>
public sealed record FakeDifyFeedback(string MessageId, string? Rating, string? User);
