using System.Text.Json.Serialization;
using WinterAI.Domain.Channels.ChatPage;

namespace WinterAI.Web.ChatPage;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ChatTurn))]
[JsonSerializable(typeof(ChatHistoryResponse))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(ChatText))]
[JsonSerializable(typeof(ChatQuestion))]
[JsonSerializable(typeof(ChatUpload))]
[JsonSerializable(typeof(ChatFeedback))]
[JsonSerializable(typeof(ChatSuggestions))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
