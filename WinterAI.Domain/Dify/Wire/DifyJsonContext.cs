using System.Text.Json.Serialization;

namespace WinterAI.Domain.Dify.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ChatMessagesBody))]
[JsonSerializable(typeof(DeleteConversationBody))]
[JsonSerializable(typeof(DifyErrorBody))]
[JsonSerializable(typeof(DifyStreamEvent))]
[JsonSerializable(typeof(StopMessageBody))]
[JsonSerializable(typeof(FeedbackBody))]
[JsonSerializable(typeof(AppRunBody))]
[JsonSerializable(typeof(TextToAudioBody))]
internal sealed partial class DifyJsonContext : JsonSerializerContext;
