using System.Text.Json.Serialization;

namespace WinterAI.Domain.Channels.WeComRobot;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RobotStream))]
internal sealed partial class RobotJsonContext : JsonSerializerContext;
