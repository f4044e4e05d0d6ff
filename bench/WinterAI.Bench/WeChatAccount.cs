namespace WinterAI.Bench;

/// <summary>The official account the bench plays WeChat for (safe mode). Keys from PROTOCOL.md's official-account vectors.</summary>
public sealed record WeChatAccount(string Token, string AppId, string AppSecret, string EncodingAesKey, string Account)
{
    public static readonly WeChatAccount Bench = new("spamtest", "wx2c2769f8efd9abc2", "bench-app-secret", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "gh_bench_account");
}
