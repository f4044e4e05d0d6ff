
namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>
/// A callback body, ciphertext or XML document that does not follow the WeChat/WeCom protocol. Callers turn it
/// into a 400: it always means bad input, never a bug of ours. The message never contains keys or plaintext.
/// </summary>
public sealed class WeChatProtocolException(string message, Exception? inner = null) : Exception(message, inner);
