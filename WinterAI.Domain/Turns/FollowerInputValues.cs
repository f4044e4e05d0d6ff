using System.Text.Json.Serialization;

namespace WinterAI.Domain.Turns;

/// <summary>What is kept per follower for the Dify app's inputs.</summary>
/// <param name="Values">Values the follower set with <c>/set</c>, by variable name.</param>
/// <param name="MenuKey">The key of the last menu button the follower pressed.</param>
/// <param name="Scene">The scene of the last QR code the follower subscribed or scanned with.</param>
public sealed record FollowerInputValues(
    IReadOnlyDictionary<string, string> Values,
    string? MenuKey = null,
    string? Scene = null)
{
    public static readonly FollowerInputValues Empty = new(new Dictionary<string, string>());

    [JsonIgnore]
    public bool IsEmpty => Values.Count == 0 && MenuKey is null && Scene is null;
}

[JsonSerializable(typeof(FollowerInputValues))]
internal sealed partial class InputsJsonContext : JsonSerializerContext;
