namespace WinterAI.Testing;

/// <summary>The official account's message encryption modes (server configuration page).</summary>
public enum WeChatMode
{
    Plaintext,
    Compatible,
    Safe,
}
