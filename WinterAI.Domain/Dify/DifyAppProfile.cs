using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Dify;

/// <summary>
/// The Dify app's <see cref="DifyAppParameters"/>, asked once and kept for <see cref="RefreshAfter"/> (an operator who
/// switches image upload on in Dify sees it within minutes, without a restart). When Dify cannot be asked, the last
/// known answer stands; with none, null, and Dify is asked again after <see cref="RetryAfterFailure"/>.
/// </summary>
public sealed class DifyAppProfile(IDifyClient dify, IOptions<DifyOptions> options, TimeProvider time, ILogger<DifyAppProfile> log)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    /// <summary>The end-user id the parameters are asked with; Dify answers the same for every user.</summary>
    public const string ProfileUser = "winterai";

    readonly SemaphoreSlim refreshing = new(1, 1);
    readonly SemaphoreSlim detecting = new(1, 1);
    DifyAppParameters? known;
    DateTimeOffset askAgainAt = DateTimeOffset.MinValue;
    DifyAppType? detected;
    DateTimeOffset detectAgainAt = DateTimeOffset.MinValue;

    /// <summary>
    /// The app's type: <c>Dify:AppType</c> when set, else Dify's <c>mode</c> from <c>GET /info</c> (asked on first use and
    /// again after <see cref="RefreshAfter"/>). A Dify that cannot say (too old for /info, or down) is taken for a chat
    /// app until it can.
    /// </summary>
    public async Task<DifyAppType> GetAppTypeAsync(CancellationToken ct)
    {
        if (options.Value.ExplicitAppType is { } configured)
        {
            return configured;
        }

        if (time.GetUtcNow() < detectAgainAt)
        {
            return detected ?? DifyAppType.Chat;
        }

        await detecting.WaitAsync(ct);
        try
        {
            if (time.GetUtcNow() >= detectAgainAt)
            {
                await DetectAsync(ct);
            }

            return detected ?? DifyAppType.Chat;
        }
        finally
        {
            detecting.Release();
        }
    }

    /// <summary>Asks Dify again at the next turn: it said the app is not of the type we took it for.</summary>
    public void ForgetAppType() => detectAgainAt = DateTimeOffset.MinValue;

    private async Task DetectAsync(CancellationToken ct)
    {
        try
        {
            var info = await dify.GetInfoAsync(ct);
            if (info.AppType is { } type)
            {
                if (type != detected)
                {
                    log.LogInformation("The Dify app is a {AppType} app (mode {Mode}).", type.Name(), info.Mode);
                }

                detected = type;
            }
            else if (detected is null)
            {
                log.LogWarning("Dify's GET /info named no known app mode ({Mode}); answering as a chat app. Set Dify:AppType to say which.", info.Mode ?? "none");
            }

            detectAgainAt = time.GetUtcNow() + RefreshAfter;
        }
        catch (DifyException ex)
        {
            log.LogWarning("Could not ask Dify which kind of app it is ({Failure}, HTTP {Status}); {Fallback}. Set Dify:AppType to skip asking.",
                ex.Failure, ex.HttpStatus, detected is null ? "answering as a chat app" : $"keeping {detected.Value.Name()}");
            // Dify before 0.6 has no /info (404): it will not grow one, so ask rarely.
            detectAgainAt = time.GetUtcNow() + (ex.HttpStatus == 404 ? RefreshAfter : RetryAfterFailure);
        }
    }

    /// <summary>The last parameters read, without asking Dify: null before the first answer.</summary>
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
