using System.Text.Json.Serialization;

namespace WinterAI.Domain.Channels.ChatPage;

[JsonSerializable(typeof(List<string>))]
internal sealed partial class ChatPageJsonContext : JsonSerializerContext;
