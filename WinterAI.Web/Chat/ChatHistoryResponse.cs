using WinterAI.Domain.Channels.ChatPage;

namespace WinterAI.Web.Chat;

/// <summary>What <c>GET /chat/history</c> answers.</summary>
/// <param name="ExpiresAt">When the page's link stops working (Unix milliseconds).</param>
public sealed record ChatHistoryResponse(IReadOnlyList<ChatTurn> Turns, long ExpiresAt, int MaxQuestionLength);
