using System.Text.Json;
using WinterAI.Domain.Channels.ChatPage;

namespace WinterAI.Web.ChatPage;

/// <summary>How a <see cref="ChatEvent"/> travels to the page: an SSE event name and one line of JSON.</summary>
public static class ChatEventWire
{
    public static (string Name, string Data) Encode(ChatEvent e) => e switch
    {
        ChatEvent.Waiting => ("waiting", "{}"),
        ChatEvent.Started started => ("started", Turn(started.Turn)),
        ChatEvent.Delta delta => ("delta", JsonSerializer.Serialize(new ChatText(delta.Text), ChatJsonContext.Default.ChatText)),
        ChatEvent.Replaced replaced => ("replace", JsonSerializer.Serialize(new ChatText(replaced.Text), ChatJsonContext.Default.ChatText)),
        ChatEvent.Finished finished => ("finished", Turn(finished.Turn)),
        ChatEvent.Suggested suggested => ("suggested", JsonSerializer.Serialize(new ChatSuggestions(suggested.TurnId, suggested.Questions), ChatJsonContext.Default.ChatSuggestions)),
        ChatEvent.Refused refused => ("refused", JsonSerializer.Serialize(new ChatMessage(refused.Message), ChatJsonContext.Default.ChatMessage)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown chat event."),
    };

    private static string Turn(ChatTurn turn) => JsonSerializer.Serialize(turn, ChatJsonContext.Default.ChatTurn);
}
