using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// The robot's passive replies: a stream frame or a text, as JSON, encrypted for the robot (ReceiveId empty) and signed,
/// inside <c>{"encrypt","msgsignature","timestamp","nonce"}</c>.
/// </summary>
public static class RobotReplies
{
    public const string Json = "application/json; charset=utf-8";

    /// <summary>A stream frame: the whole content so far, and whether the stream is finished.</summary>
    public static string Stream(string id, string content, bool finish) => Stream(id, new RobotFrame(content, finish));

    /// <summary>A stream frame; a finishing one carries its pictures as <c>msg_item</c> (WeCom takes them only there).</summary>
    public static string Stream(string id, RobotFrame frame) => Write(w =>
    {
        w.WriteString("msgtype", "stream");
        w.WriteStartObject("stream");
        w.WriteString("id", id);
        w.WriteBoolean("finish", frame.Finish);
        w.WriteString("content", frame.Content);
        if (frame.Finish && frame.Pictures is { Count: > 0 } pictures)
        {
            w.WriteStartArray("msg_item");
            foreach (var picture in pictures)
            {
                w.WriteStartObject();
                w.WriteString("msgtype", "image");
                w.WriteStartObject("image");
                w.WriteString("base64", picture.Base64);
                w.WriteString("md5", picture.Md5);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    });

    /// <summary>A text reply (the welcome on entering the chat).</summary>
    public static string Text(string content) => Write(w =>
    {
        w.WriteString("msgtype", "text");
        w.WriteStartObject("text");
        w.WriteString("content", content);
        w.WriteEndObject();
    });

    /// <summary>A markdown message for a <c>response_url</c>.</summary>
    public static string Markdown(string content) => Write(w =>
    {
        w.WriteString("msgtype", "markdown");
        w.WriteStartObject("markdown");
        w.WriteString("content", content);
        w.WriteEndObject();
    });

    /// <summary>The encrypted, signed reply WeCom expects; an empty plaintext makes the empty packet feedback events get.</summary>
    public static CallbackResult Encrypted(string plaintext, string token, byte[] aesKey, DateTimeOffset now)
    {
        var encrypt = MessageCrypto.Encrypt(aesKey, plaintext, "");
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var body = Write(w =>
        {
            w.WriteString("encrypt", encrypt);
            w.WriteString("msgsignature", WeChatSignature.Compute(token, timestamp, nonce, encrypt));
            w.WriteString("timestamp", timestamp);
            w.WriteString("nonce", nonce);
        });
        return new CallbackResult(200, body, Json);
    }

    /// <summary>Reads the <c>encrypt</c> field of a callback body.</summary>
    /// <exception cref="WeChatProtocolException">Not a JSON object with a non-empty <c>encrypt</c> string.</exception>
    public static string EncryptOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("encrypt", out var encrypt)
                && encrypt.ValueKind == JsonValueKind.String
                && encrypt.GetString() is { Length: > 0 } value
                ? value
                : throw new WeChatProtocolException("The body has no \"encrypt\" field.");
        }
        catch (JsonException ex)
        {
            throw new WeChatProtocolException("The body is not valid JSON.", ex);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
