namespace WinterAI.Domain.Storage;

/// <summary>
/// Which store is in use. Never carries a password; still, only the kind is public (/readyz): where Redis is, is for
/// operators (the admin API's stats, the log).
/// </summary>
/// <param name="Kind"><c>redis</c> or <c>in-memory</c>.</param>
/// <param name="Target">The Redis endpoints, or <c>this process</c>.</param>
/// <param name="SharedAcrossInstances">False for the in-memory store: several instances would not see each other's state.</param>
public sealed record StoreDescription(string Kind, string Target, bool SharedAcrossInstances)
{
    public static StoreDescription InMemory { get; } = new("in-memory", "this process", false);
}
