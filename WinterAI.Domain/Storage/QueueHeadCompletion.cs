namespace WinterAI.Domain.Storage;

/// <summary>
/// Finishes the item at the head of a work queue in one atomic step (<see cref="IStateStore.CompleteQueueHeadAsync"/>):
/// stores <see cref="Record"/> under <see cref="RecordKey"/> for <see cref="RecordTtl"/>; removes <see cref="Item"/>
/// from the head of <see cref="QueueKey"/> if it is still there (a second completion of the same item removes nothing
/// else); hands the lock at <see cref="LockKey"/> back when the queue is now empty and the lock still holds
/// <see cref="LockToken"/>; publishes <see cref="Message"/> on <see cref="Channel"/>. The three keys must carry one
/// Cluster hash tag.
/// </summary>
public sealed record QueueHeadCompletion(
    string RecordKey,
    string Record,
    TimeSpan RecordTtl,
    string QueueKey,
    string Item,
    string LockKey,
    string LockToken,
    string Channel,
    string Message);
