
namespace WinterAI.Domain.Protocol.Crypto;

/// <param name="Message">The decrypted text: an XML message, or the echostr of a URL verification.</param>
/// <param name="ReceiveId">The AppID (official account) or CorpID (WeCom) the sender encrypted for; compare it with ours.</param>
public sealed record DecryptedMessage(string Message, string ReceiveId);
