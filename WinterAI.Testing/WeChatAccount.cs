namespace WinterAI.Testing;

/// <summary>An official account WeChat is played for; <see cref="Default"/> has the keys of PROTOCOL.md's official-account vectors.</summary>
public sealed record WeChatAccount(string Token, string AppId, string EncodingAesKey)
{
    /// <summary>The original id (原始ID) of <see cref="Default"/>.</summary>
    public const string Account = "gh_test_account";

    public static readonly WeChatAccount Default = new("spamtest", "wx2c2769f8efd9abc2", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");

    /// <summary>The account's original id (原始ID, <c>gh_…</c>): the ToUserName of every message sent to it.</summary>
    public string OriginalId { get; init; } = Account;

    /// <summary>For the platform API (<c>stable_token</c>); <see cref="FakeWeChatApi"/> expects this one by default.</summary>
    public string AppSecret { get; init; } = FakeWeChatApi.DefaultAppSecret;

    public Dictionary<string, string?> Configuration() => new()
    {
        ["WeChat:Token"] = Token,
        ["WeChat:AppId"] = AppId,
        ["WeChat:EncodingAESKey"] = EncodingAesKey,
    };
}
