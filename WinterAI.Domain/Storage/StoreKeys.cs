namespace WinterAI.Domain.Storage;

/// <summary>
/// The one place store keys are built. Every key of one follower carries the follower's Redis Cluster hash tag,
/// <c>{prefix}{{account:followerId}}:{kind}</c> — per message <c>…:{kind}:{messageKey}</c> (MsgId, or
/// FromUserName:CreateTime for events) — so one follower's records live in one slot and can change together
/// atomically; per-account keys carry the account's tag, <c>{prefix}{{account}}:{kind}:{id}</c>.
/// </summary>
public sealed class StoreKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    private string ForAccount(string account, string kind, string id) => $"{Prefix}{{{Escape(account)}}}:{kind}:{id}";

    private string ForFollower(string account, string user, string kind) => $"{Prefix}{{{Escape(account)}:{Escape(user)}}}:{kind}";

    /// <summary>The follower's Dify conversation id (sliding TTL).</summary>
    public string Conversation(string account, string user) => ForFollower(account, user, "conv");

    /// <summary>The follower's Dify input values (<c>/set</c>) and remembered facts (menu key, scene); the conversation's sliding TTL.</summary>
    public string Inputs(string account, string user) => ForFollower(account, user, "inputs");

    /// <summary>List of the follower's recent message keys, oldest first.</summary>
    public string History(string account, string user) => ForFollower(account, user, "history");

    /// <summary>List of the follower's message keys waiting for (or in) a Dify call, oldest first.</summary>
    public string Queue(string account, string user) => ForFollower(account, user, "queue");

    /// <summary>Held by the one instance that runs the follower's queue.</summary>
    public string RunnerLock(string account, string user) => ForFollower(account, user, "runner");

    /// <summary>A note for the follower's next message (e.g. a push that could not be delivered).</summary>
    public string Notice(string account, string user) => ForFollower(account, user, "notice");

    /// <summary>Pictures a follower uploaded on the H5 page (Dify file ids), which only they may ask about.</summary>
    public string PageUploads(string account, string user) => ForFollower(account, user, "uploads");

    /// <summary>Pictures a follower sent alone, waiting for a question about them.</summary>
    public string PendingPictures(string account, string user) => ForFollower(account, user, "pictures");

    /// <summary>The questions Dify suggested after the follower's newest answer, which <c>a</c>, <c>b</c>, <c>c</c> ask.</summary>
    public string Suggestions(string account, string user) => ForFollower(account, user, "suggest");

    public string Quota(string account, string user, string window) => $"{ForFollower(account, user, "quota")}:{window}";

    /// <summary>Where <see cref="Conversation"/> lived before keys carried hash tags; read once and moved (see ConversationStore).</summary>
    public string LegacyConversation(string account, string user) => $"{Prefix}{account}:conv:{user}";

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

    /// <summary>The WeCom robot stream started for a message (WeCom delivers a message again until it gets a reply).</summary>
    public string RobotMessage(Follower follower, string messageKey) => ForMessage(follower, "robot", messageKey);

    /// <summary>A WeCom robot stream by its id: which follower's turn a refresh poll shows.</summary>
    public string RobotStream(string account, string streamId) => ForAccount(account, "stream", streamId);

    /// <summary>
    /// Claimed (as a lease, then a lasting marker) by whatever delivers a long-connection robot answer whole — the last
    /// stream frame or a proactive <c>aibot_send_msg</c> — so it reaches the chat once.
    /// </summary>
    public string RobotDelivered(Follower follower, string messageKey) => ForMessage(follower, "robotsent", messageKey);

    /// <summary>The ids of the long-connection robot streams not yet known to be delivered whole, oldest first.</summary>
    public string RobotOwed(string account) => ForAccount(account, "robot", "owed");

    /// <summary>The lease of the one instance that holds the robot's long connection (WeCom allows one per bot).</summary>
    public string RobotConnection(string account) => ForAccount(account, "robot", "connection");

    /// <summary>
    /// Follower ids come from the platform's XML and may hold any character: <c>%</c>, <c>:</c>, <c>{</c> and <c>}</c>
    /// are percent-escaped, so the first <c>:</c> inside the tag always ends the account, the tag always ends at its
    /// own <c>}</c>, and no two followers (or follower and message pairs) share a key however either is spelled.
    /// </summary>
    public static string Escape(string id) =>
        id.Replace("%", "%25", StringComparison.Ordinal)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace("{", "%7B", StringComparison.Ordinal)
            .Replace("}", "%7D", StringComparison.Ordinal);

    /// <summary>One message of one follower, unique within the account: <c>{escaped followerId}:{messageKey}</c> (wake-ups name messages so).</summary>
    public static string Message(Follower follower, string messageKey) => $"{Escape(follower.Id)}:{messageKey}";

    private string ForMessage(Follower follower, string kind, string messageKey) => $"{ForFollower(follower.Account, follower.Id, kind)}:{messageKey}";

    /// <summary>The body hash of a callback accepted under one signed query (timestamp, nonce, signature), until its timestamp goes stale.</summary>
    public string Replay(string account, string signedQuery) => ForAccount(account, "replay", signedQuery);

    public string AnswerChannel(string account) => $"{Prefix}{account}:answers";

    /// <summary>Carries follower ids whose H5-page answer must stop, to whichever instance is streaming it.</summary>
    public string ChatStopChannel(string account) => $"{Prefix}{account}:chatstop";

    /// <summary>The shared pool of concurrent-call slots of one Dify app (its base URL and a hash of its key), for every instance.</summary>
    public string DifySlots(string app) => $"{Prefix}{{dify:{app}}}:slots";

    /// <summary>The platform's media_id of an answer's picture uploaded once (temporary media, valid 3 days): <paramref name="urlHash"/> names the picture.</summary>
    public string UploadedMedia(string account, string urlHash) => ForAccount(account, "media", urlHash);

    public string AccessToken(string account) => ForAccount(account, "token", "access");

    public string AccessTokenLock(string account) => ForAccount(account, "token", "lock");
}
