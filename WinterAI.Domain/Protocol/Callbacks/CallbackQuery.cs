
namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>The query string WeChat and WeCom put on every callback.</summary>
public sealed record CallbackQuery(
    string? Signature,
    string? Timestamp,
    string? Nonce,
    string? EchoStr,
    string? EncryptType,
    string? MsgSignature);
