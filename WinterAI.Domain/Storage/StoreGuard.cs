namespace WinterAI.Domain.Storage;

/// <summary>Argument checks shared by both stores so they reject exactly the same calls.</summary>
internal static class StoreGuard
{
    /// <summary>Redis expiries have millisecond resolution; anything shorter would become "no expiry" or an error.</summary>
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromMilliseconds(1);

    public static void Key(string key, string name = "key") => ArgumentException.ThrowIfNullOrEmpty(key, name);

    public static void Value(string value, string name = "value") => ArgumentNullException.ThrowIfNull(value, name);

    public static void Ttl(TimeSpan ttl)
    {
        if (ttl < MinimumTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "A TTL must be at least one millisecond; every key the store creates expires.");
        }
    }

    public static void Completion(QueueHeadCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Key(completion.RecordKey, nameof(completion.RecordKey));
        Key(completion.QueueKey, nameof(completion.QueueKey));
        Key(completion.LockKey, nameof(completion.LockKey));
        Key(completion.Channel, nameof(completion.Channel));
        Value(completion.Record, nameof(completion.Record));
        Value(completion.Item, nameof(completion.Item));
        Value(completion.LockToken, nameof(completion.LockToken));
        Value(completion.Message, nameof(completion.Message));
        Ttl(completion.RecordTtl);
    }

    public static InvalidOperationException WrongKind(string key, Exception? inner = null) =>
        new($"The key '{key}' holds a value of another kind (string vs list), or a counter that is not an integer or would overflow.", inner);
}
