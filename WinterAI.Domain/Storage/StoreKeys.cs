namespace WinterAI.Domain.Storage;

/// <summary>
/// The one place store keys are built: <c>{prefix}{account}:{kind}:{id}</c>. Follower keys take the follower id,
/// message keys take the message's deduplication key (MsgId, or FromUserName:CreateTime for events).
/// </summary>
public sealed class StoreKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string For(string account, string kind, string id) => $"{Prefix}{account}:{kind}:{id}";

    /// <summary>The follower's Dify conversation id (sliding TTL).</summary>
    public string Conversation(string account, string user) => For(account, "conv", user);

    /// <summary>List of the follower's recent message keys, oldest first.</summary>
    public string History(string account, string user) => For(account, "history", user);

    /// <summary>List of the follower's message keys waiting for (or in) a Dify call, oldest first.</summary>
    public string Queue(string account, string user) => For(account, "queue", user);

    /// <summary>Held by the one instance that runs the follower's queue.</summary>
    public string RunnerLock(string account, string user) => For(account, "runner", user);

    /// <summary>A note for the follower's next message (e.g. a push that could not be delivered).</summary>
    public string Notice(string account, string user) => For(account, "notice", user);

    public string Quota(string account, string user, string window) => For(account, "quota", $"{user}:{window}");

    /// <summary>The question and, once ready, the answer of one message.</summary>
    public string Turn(string account, string messageKey) => For(account, "turn", messageKey);

    /// <summary>How many pages of the message's answer have been handed out.</summary>
    public string PagesRead(string account, string messageKey) => For(account, "read", messageKey);

    /// <summary>The first delivery of a message claims it; later deliveries join.</summary>
    public string Claim(string account, string messageKey) => For(account, "claim", messageKey);

    public string Deliveries(string account, string messageKey) => For(account, "deliveries", messageKey);

    /// <summary>The reply decided for a message, so WeChat's retries get the same reply.</summary>
    public string Reply(string account, string messageKey) => For(account, "reply", messageKey);

    /// <summary>Set to "push" when the answer must be pushed once ready.</summary>
    public string Outcome(string account, string messageKey) => For(account, "outcome", messageKey);

    /// <summary>Claimed by whoever hands the answer to a push channel, so it is pushed once.</summary>
    public string Pushed(string account, string messageKey) => For(account, "pushed", messageKey);

    /// <summary>Claimed by the delivery that sends a message's reply through a platform API (WeCom), so it goes out once.</summary>
    public string Replied(string account, string messageKey) => For(account, "replied", messageKey);

    /// <summary>The body hash of a callback accepted under one signed query (timestamp, nonce, signature), until its timestamp goes stale.</summary>
    public string Replay(string account, string signedQuery) => For(account, "replay", signedQuery);

    public string AnswerChannel(string account) => $"{Prefix}{account}:answers";

    /// <summary>Carries follower ids whose H5-page answer must stop, to whichever instance is streaming it.</summary>
    public string ChatStopChannel(string account) => $"{Prefix}{account}:chatstop";

    public string AccessToken(string account) => For(account, "token", "access");

    public string AccessTokenLock(string account) => For(account, "token", "lock");
}
