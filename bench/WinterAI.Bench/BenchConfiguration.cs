namespace WinterAI.Bench;

/// <summary>A deployment to measure: how many instances, which store, whether the account can push.</summary>
public sealed record BenchConfiguration(string Name, string Description, int Instances, bool Redis, bool Push)
{
    public static readonly IReadOnlyList<BenchConfiguration> All =
    [
        new("a", "one instance, in-memory store", 1, Redis: false, Push: false),
        new("b", "one instance, Redis", 1, Redis: true, Push: false),
        new("c", "two instances sharing Redis, deliveries alternating", 2, Redis: true, Push: false),
        new("d", "two instances sharing Redis, customer-service push", 2, Redis: true, Push: true),
    ];
}
