using System.Text.Json.Serialization;

namespace WinterAI.Domain.Turns;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TurnRecord))]
[JsonSerializable(typeof(DeliveryReply))]
[JsonSerializable(typeof(PartialAnswer))]
[JsonSerializable(typeof(List<Attachment>))]
[JsonSerializable(typeof(SuggestedQuestionsRecord))]
internal sealed partial class DeliveryJsonContext : JsonSerializerContext;
