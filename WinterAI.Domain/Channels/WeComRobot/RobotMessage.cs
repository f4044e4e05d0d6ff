using System.Text.Json;
using WinterAI.Domain.Protocol.Callbacks;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// One decrypted robot callback (JSON): a member's message, a stream refresh, or an event. Only what the channel uses
/// is read; unknown fields and message types are kept as <see cref="MsgType"/> for a friendly answer.
/// </summary>
public sealed record RobotMessage(
    string MsgId,
    string MsgType,
    string ChatType,
    string? ChatId,
    string UserId,
    string? ResponseUrl,
    string? Text,
    string? Quote,
    string? StreamId,
    string? EventType,
    string? FeedbackStreamId,
    int? FeedbackType,
    IReadOnlyList<RobotImage>? Images = null)
{
    public bool IsGroup => ChatType == "group";

    /// <exception cref="WeChatProtocolException">Not JSON, not an object, or without <c>msgtype</c>.</exception>
    public static RobotMessage Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WeChatProtocolException("The decrypted robot callback is not a JSON object.");
            }

            var msgType = Str(root, "msgtype") ?? throw new WeChatProtocolException("The decrypted robot callback has no msgtype.");
            var from = root.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.Object ? Str(f, "userid") : null;
            var @event = Object(root, "event");
            var feedback = @event is { } e ? Object(e, "feedback_event") : null;
            return new RobotMessage(
                Str(root, "msgid") ?? "",
                msgType,
                Str(root, "chattype") ?? "single",
                Str(root, "chatid"),
                from ?? "",
                Str(root, "response_url"),
                ContentOf(root, msgType),
                QuoteOf(root),
                Object(root, "stream") is { } stream ? Str(stream, "id") : null,
                @event is { } ev ? Str(ev, "eventtype") : null,
                feedback is { } fb ? Str(fb, "id") : null,
                feedback is { } fbType && fbType.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number ? type.GetInt32() : null,
                ImagesOf(root, msgType));
        }
        catch (JsonException ex)
        {
            throw new WeChatProtocolException("The decrypted robot callback is not valid JSON.", ex);
        }
    }

    /// <summary>The text of a text, voice (WeCom's transcription) or mixed message (its text items joined).</summary>
    private static string? ContentOf(JsonElement root, string msgType) => msgType switch
    {
        "text" => Object(root, "text") is { } text ? Str(text, "content") : null,
        "voice" => Object(root, "voice") is { } voice ? Str(voice, "content") : null,
        "mixed" => Object(root, "mixed") is { } mixed && mixed.TryGetProperty("msg_item", out var items) && items.ValueKind == JsonValueKind.Array
            ? string.Join("\n", items.EnumerateArray().Where(i => Str(i, "msgtype") == "text").Select(i => Object(i, "text") is { } t ? Str(t, "content") : null).OfType<string>())
            : null,
        _ => null,
    };

    /// <summary>The picture of an image message, or the pictures of a mixed one, in order.</summary>
    private static IReadOnlyList<RobotImage>? ImagesOf(JsonElement root, string msgType)
    {
        var items = msgType switch
        {
            "image" => [root],
            "mixed" => Object(root, "mixed") is { } mixed && mixed.TryGetProperty("msg_item", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(i => Str(i, "msgtype") == "image").ToList()
                : [],
            _ => new List<JsonElement>(),
        };
        var images = items
            .Select(i => Object(i, "image") is { } image && Str(image, "url") is { Length: > 0 } url ? new RobotImage(url, Str(image, "aeskey")) : null)
            .OfType<RobotImage>()
            .ToList();
        return images.Count == 0 ? null : images;
    }

    private static string? QuoteOf(JsonElement root) =>
        Object(root, "quote") is { } quote ? ContentOf(quote, Str(quote, "msgtype") ?? "") : null;

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A picture in a robot message: its encrypted download URL (valid about 5 minutes) and, in long-connection mode, its own key.</summary>
public sealed record RobotImage(string Url, string? AesKey);
