namespace WinterAI.Web.Admin;

/// <param name="DifyRunning">Dify calls running on this instance now.</param>
/// <param name="DifyWaiting">Turns waiting for a free Dify slot on this instance now.</param>
public sealed record QueueStats(int DifyRunning, int DifyWaiting);
