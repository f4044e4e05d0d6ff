using WinterAI.Domain.Channels.ChatPage;

namespace WinterAI.Web.ChatPage;

/// <summary>The body of <c>POST /chat/ask</c>.</summary>
/// <param name="Pictures">Ids of pictures uploaded with <c>POST /chat/upload</c>, asked about with the question.</param>
public sealed record ChatQuestion(string? Question, IReadOnlyList<string>? Pictures = null);

/// <summary>What <c>POST /chat/upload</c> answers: the picture's id for <see cref="ChatQuestion.Pictures"/>.</summary>
public sealed record ChatUpload(string Id);

/// <summary>The body of <c>POST /chat/feedback</c>: the turn's id from the history and <c>like</c> or <c>dislike</c>.</summary>
public sealed record ChatFeedback(string? Id, string? Rating);

/// <summary>The <c>suggested</c> event: the questions Dify suggests after the answer of turn <paramref name="Id"/>.</summary>
public sealed record ChatSuggestions(string Id, IReadOnlyList<string> Questions);

/// <summary>The <c>text</c> of a <c>delta</c> or <c>replace</c> event.</summary>
public sealed record ChatText(string Text);

/// <summary>A text for the page to show: the "cleared" confirmation, a refusal, an error.</summary>
/// <param name="Error">A machine-readable reason for errors (<c>expired</c>, <c>unavailable</c>, <c>invalid</c>); null otherwise.</param>
public sealed record ChatMessage(string Message, string? Error = null);

/// <summary>What <c>GET /chat/history</c> answers.</summary>
/// <param name="ExpiresAt">When the page's link stops working (Unix milliseconds).</param>
public sealed record ChatHistoryResponse(IReadOnlyList<ChatTurn> Turns, long ExpiresAt, int MaxQuestionLength);
