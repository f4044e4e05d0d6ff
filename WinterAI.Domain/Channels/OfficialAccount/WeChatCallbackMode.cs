
namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>
/// Which callbacks the official account accepts (<c>WeChat:Mode</c>). WeChat's compatible and safe modes both send
/// <c>encrypt_type=aes</c> with a <c>msg_signature</c> over the ciphertext, so both are <see cref="Encrypted"/>.
/// </summary>
public enum WeChatCallbackMode
{
    /// <summary>Plaintext mode: <c>encrypt_type</c> absent or <c>raw</c>; only <c>signature</c> (which does not cover the body) authenticates.</summary>
    Plain,

    /// <summary>Compatible or safe mode: the message is taken only from the authenticated, decrypted <c>Encrypt</c>.</summary>
    Encrypted,
}
