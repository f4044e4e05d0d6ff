namespace WinterAI.Domain.Storage;

/// <summary>The one place store keys are built: prefix, then account, then what the key is about.</summary>
public sealed class StoreKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string For(string account, string kind, string id) => $"{Prefix}{account}:{kind}:{id}";

    public string Conversation(string account, string user) => For(account, "conv", user);

    public string LatestTurn(string account, string user) => For(account, "turn", user);

    public string Claim(string account, string messageKey) => For(account, "claim", messageKey);

    public string Answer(string account, string messageKey) => For(account, "answer", messageKey);

    public string Deliveries(string account, string messageKey) => For(account, "deliveries", messageKey);

    public string AnswerChannel(string account) => $"{Prefix}{account}:answers";

    public string AccessToken(string account) => For(account, "token", "access");

    public string AccessTokenLock(string account) => For(account, "token", "lock");
}
