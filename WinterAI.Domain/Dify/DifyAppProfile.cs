using Microsoft.Extensions.Logging;

namespace WinterAI.Domain.Dify;

/// <summary>
/// The Dify app's <see cref="DifyAppParameters"/>, asked once and kept for <see cref="RefreshAfter"/> (an operator who
/// switches image upload on in Dify sees it within minutes, without a restart). When Dify cannot be asked, the last
/// known answer stands; with none, null, and Dify is asked again after <see cref="RetryAfterFailure"/>.
/// </summary>
public sealed class DifyAppProfile(IDifyClient dify, TimeProvider time, ILogger<DifyAppProfile> log)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    /// <summary>The end-user id the parameters are asked with; Dify answers the same for every user.</summary>
    public const string ProfileUser = "winterai";

    readonly SemaphoreSlim refreshing = new(1, 1);
    DifyAppParameters? known;
    DateTimeOffset askAgainAt = DateTimeOffset.MinValue;

    /// <summary>The parameters last read, without asking Dify (null before the first answer): for decisions that must not wait.</summary>
    public DifyAppParameters? Known => known;

    public async Task<DifyAppParameters?> GetAsync(CancellationToken ct)
    {
        if (time.GetUtcNow() < askAgainAt)
        {
            return known;
        }

        await refreshing.WaitAsync(ct);
        try
        {
            if (time.GetUtcNow() < askAgainAt)
            {
                return known;
            }

            try
            {
                known = await dify.GetParametersAsync(ProfileUser, ct);
                askAgainAt = time.GetUtcNow() + RefreshAfter;
            }
            catch (DifyException ex)
            {
                log.LogWarning("Could not read the Dify app's parameters ({Failure}); {Fallback}.", ex.Failure,
                    known is null ? "features that depend on them are off for now" : "keeping the last known ones");
                askAgainAt = time.GetUtcNow() + RetryAfterFailure;
            }

            return known;
        }
        finally
        {
            refreshing.Release();
        }
    }
}
