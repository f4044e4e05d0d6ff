namespace WinterAI.Domain.Storage;

/// <summary>
/// The one place store keys are built: <c>{prefix}{account}:{kind}:{id}</c>. Follower keys take the follower id;
/// message keys take the follower and the message's deduplication key (MsgId, or FromUserName:CreateTime for
/// events), as <c>{prefix}{account}:{kind}:{followerId}:{messageKey}</c> (see <see cref="Message"/>).
/// </summary>
public sealed class StoreKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    private string For(string account, string kind, string id) => $"{Prefix}{account}:{kind}:{id}";

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
    public string Turn(Follower follower, string messageKey) => ForMessage(follower, "turn", messageKey);

    /// <summary>The answer so far of a turn Dify is still writing (see <c>PartialAnswers</c>).</summary>
    public string Partial(Follower follower, string messageKey) => ForMessage(follower, "partial", messageKey);

    /// <summary>How many pages of the message's answer have been handed out.</summary>
    public string PagesRead(Follower follower, string messageKey) => ForMessage(follower, "read", messageKey);

    /// <summary>The first delivery of a message claims it; later deliveries join.</summary>
    public string Claim(Follower follower, string messageKey) => ForMessage(follower, "claim", messageKey);

    public string Deliveries(Follower follower, string messageKey) => ForMessage(follower, "deliveries", messageKey);

    /// <summary>The reply decided for a message, so WeChat's retries get the same reply.</summary>
    public string Reply(Follower follower, string messageKey) => ForMessage(follower, "reply", messageKey);

    /// <summary>Set to "push" when the answer must be pushed once ready.</summary>
    public string Outcome(Follower follower, string messageKey) => ForMessage(follower, "outcome", messageKey);

    /// <summary>Claimed by whoever hands the answer to a push channel, so it is pushed once.</summary>
    public string Pushed(Follower follower, string messageKey) => ForMessage(follower, "pushed", messageKey);

    /// <summary>Claimed by the delivery that sends a message's reply through a platform API (WeCom), so it goes out once.</summary>
    public string Replied(Follower follower, string messageKey) => ForMessage(follower, "replied", messageKey);

    /// <summary>
    /// One message of one follower, unique within the account: <c>{followerId}:{messageKey}</c>. Nothing checks that
    /// a MsgId is unique across followers (another follower's callback, forged or merely colliding, may carry the same
    /// one), so nothing about a message is looked up by its key alone. The follower id comes from the platform's XML
    /// and may hold any character, so <c>%</c> and <c>:</c> in it are percent-escaped: the first <c>:</c> then always
    /// ends the follower id, and no two (follower, message) pairs share a name however either is spelled.
    /// </summary>
    public static string Message(Follower follower, string messageKey) =>
        $"{follower.Id.Replace("%", "%25", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal)}:{messageKey}";

    private string ForMessage(Follower follower, string kind, string messageKey) => For(follower.Account, kind, Message(follower, messageKey));

    /// <summary>The body hash of a callback accepted under one signed query (timestamp, nonce, signature), until its timestamp goes stale.</summary>
    public string Replay(string account, string signedQuery) => For(account, "replay", signedQuery);

    public string AnswerChannel(string account) => $"{Prefix}{account}:answers";

    /// <summary>Carries follower ids whose H5-page answer must stop, to whichever instance is streaming it.</summary>
    public string ChatStopChannel(string account) => $"{Prefix}{account}:chatstop";

    public string AccessToken(string account) => For(account, "token", "access");

    public string AccessTokenLock(string account) => For(account, "token", "lock");
}
