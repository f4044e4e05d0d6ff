using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Turns;

/// <summary>The <c>Limits</c> configuration section: protects Dify (and the operator's bill) from floods.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Questions one follower may ask per minute; 0 = unlimited. Default 10.</summary>
    [Range(0, int.MaxValue)]
    public int PerMinute { get; set; } = 10;

    /// <summary>Questions one follower may ask per day (China Standard Time, UTC+8); 0 = unlimited. Default 200.</summary>
    [Range(0, int.MaxValue)]
    public int PerDay { get; set; } = 200;

    /// <summary>Dify calls one instance runs at once. Default 32.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentDifyCalls { get; set; } = 32;

    /// <summary>
    /// Dify calls to one Dify app at once across every instance sharing the store (a slot pool in the store); 0 turns the
    /// shared cap off. Default 32. <see cref="MaxConcurrentDifyCalls"/> still bounds each instance.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxConcurrentDifyCallsPerApp { get; set; } = 32;

    /// <summary>Turns allowed to wait for a free Dify slot; beyond this the follower gets the busy text. Default 256.</summary>
    [Range(0, 1_000_000)]
    public int MaxWaitingForDify { get; set; } = 256;

    /// <summary>
    /// How long a picture sent alone waits for a question: a text question within this time is asked about the
    /// picture (one Dify turn with both). Default 3 minutes; zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PictureFollowUp { get; set; } = TimeSpan.FromMinutes(3);
}
