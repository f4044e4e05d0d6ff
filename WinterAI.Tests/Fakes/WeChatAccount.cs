namespace WinterAI.Tests.Fakes;

/// <summary>The official account the tests play WeChat for; keys from PROTOCOL.md's official-account vectors.</summary>
public sealed record WeChatAccount(string Token, string AppId, string EncodingAesKey)
{
    public const string Account = "gh_test_account";

    public static readonly WeChatAccount Default = new("spamtest", "wx2c2769f8efd9abc2", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");

    public Dictionary<string, string?> Configuration() => new()
    {
        ["WeChat:Token"] = Token,
        ["WeChat:AppId"] = AppId,
        ["WeChat:EncodingAESKey"] = EncodingAesKey,
    };
}
